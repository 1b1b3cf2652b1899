import { defineMessages } from "../core";

/** Login page. */
export const authMessages = defineMessages({
  pageTitle: { "zh-CN": "登录", en: "Sign in" },
  heading: { "zh-CN": "登录网格治理平台", en: "Sign in to the grid console" },
  intro: {
    "zh-CN": "面向规划员、指挥中心、网格员和系统管理员。居民无需登录即可使用居民服务。",
    en: "For planners, the command centre, grid workers and administrators. Residents use the resident services without an account.",
  },
  username: { "zh-CN": "用户名", en: "Username" },
  password: { "zh-CN": "密码", en: "Password" },
  submit: { "zh-CN": "登录", en: "Sign in" },
  submitting: { "zh-CN": "正在登录…", en: "Signing in…" },
  errorCredentials: { "zh-CN": "用户名或密码不正确。", en: "The username or password is incorrect." },
  errorInactive: {
    "zh-CN": "该账号已停用，请联系系统管理员。",
    en: "This account has been deactivated. Please contact an administrator.",
  },
  errorThrottled: {
    "zh-CN": "登录失败次数过多，请 15 分钟后再试。",
    en: "Too many failed sign-ins. Please try again in 15 minutes.",
  },
  errorMissing: { "zh-CN": "请输入用户名和密码。", en: "Enter your username and password." },
  errorGeneric: { "zh-CN": "登录失败，请稍后重试。", en: "Sign-in failed. Please try again later." },
  sessionExpired: { "zh-CN": "请先登录。", en: "Please sign in first." },
  demoTitle: { "zh-CN": "演示账号", en: "Demo accounts" },
  demoPasswordLabel: { "zh-CN": "统一密码：", en: "Password for all: " },
  demoUse: { "zh-CN": "填入", en: "Use" },
  demoUseTitle: { "zh-CN": "填入账号 {username}", en: "Fill in account {username}" },
  residentLink: { "zh-CN": "居民服务", en: "Resident services" },
  residentHint: {
    "zh-CN": "查找附近的党群服务站、便民服务站，无需登录",
    en: "Find nearby community service stations, no sign-in needed",
  },
});
