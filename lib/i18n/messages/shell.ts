import { defineMessages } from "../core";

/** The console's top bar and navigation. */
export const shellMessages = defineMessages({
  navOverview: { "zh-CN": "总览", en: "Overview" },
  navGrids: { "zh-CN": "网格", en: "Grids" },
  navStations: { "zh-CN": "服务站", en: "Stations" },
  navUsers: { "zh-CN": "用户管理", en: "Users" },
  navResident: { "zh-CN": "居民服务", en: "Residents" },
  mainNavigation: { "zh-CN": "主导航", en: "Main navigation" },
  signOut: { "zh-CN": "退出登录", en: "Sign out" },
  signingOut: { "zh-CN": "正在退出…", en: "Signing out…" },
  signedInAs: { "zh-CN": "当前用户：{name}（{role}）", en: "Signed in as {name} ({role})" },
  homeLink: { "zh-CN": "返回总览", en: "Back to overview" },
  openMenu: { "zh-CN": "菜单", en: "Menu" },
});
