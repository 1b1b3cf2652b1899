import { defineMessages } from "../core";

/** Forbidden, not-found and error pages. */
export const errorMessages = defineMessages({
  forbiddenTitle: { "zh-CN": "无权访问", en: "Access denied" },
  forbiddenCode: { "zh-CN": "403", en: "403" },
  forbiddenBody: {
    "zh-CN": "您的角色（{role}）无权查看此页面。如需权限，请联系系统管理员。",
    en: "Your role ({role}) may not open this page. Ask an administrator if you need access.",
  },
  forbiddenBodyAnonymous: {
    "zh-CN": "您无权查看此页面。",
    en: "You may not open this page.",
  },
  notFoundTitle: { "zh-CN": "页面不存在", en: "Page not found" },
  notFoundCode: { "zh-CN": "404", en: "404" },
  notFoundBody: {
    "zh-CN": "您访问的页面或数据不存在，可能已被删除或地址有误。",
    en: "The page or record you asked for does not exist. It may have been removed or the address is wrong.",
  },
  backHome: { "zh-CN": "返回总览", en: "Back to overview" },
  toLogin: { "zh-CN": "前往登录", en: "Go to sign-in" },
  errorTitle: { "zh-CN": "出错了", en: "Something went wrong" },
  errorBody: { "zh-CN": "页面加载失败，请重试。", en: "The page failed to load. Please try again." },
  retry: { "zh-CN": "重试", en: "Try again" },
});
