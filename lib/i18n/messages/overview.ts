import { defineMessages } from "../core";

/** Console home: the overview panel. */
export const overviewMessages = defineMessages({
  title: { "zh-CN": "总览", en: "Overview" },
  subtitle: { "zh-CN": "当前生效方案：{plan}", en: "Active plan: {plan}" },
  noActivePlan: { "zh-CN": "尚无生效的网格方案", en: "No active grid plan yet" },
  communities: { "zh-CN": "社区", en: "Communities" },
  grids: { "zh-CN": "网格", en: "Grids" },
  buildings: { "zh-CN": "建筑", en: "Buildings" },
  residentialBuildings: { "zh-CN": "其中住宅 {count} 栋", en: "{count} residential" },
  households: { "zh-CN": "户数", en: "Households" },
  householdsSplit: {
    "zh-CN": "估算 {estimated} · 已核实 {surveyed}",
    en: "{estimated} estimated · {surveyed} surveyed",
  },
  stations: { "zh-CN": "服务站", en: "Service stations" },
  stationsDemo: { "zh-CN": "其中演示 {count} 个", en: "{count} demo" },
  openCases: { "zh-CN": "未办结案件", en: "Open cases" },
  gridsOverTarget: {
    "zh-CN": "其中 {count} 个偏离目标超过 ±{threshold}%",
    en: "{count} are more than ±{threshold}% off target",
  },
  unitCount: { "zh-CN": "{count}", en: "{count}" },
  mapHint: {
    "zh-CN": "在地图上点击网格、建筑或服务站查看详情。",
    en: "Click a grid, building or station on the map to see its details.",
  },
  quickLinks: { "zh-CN": "快捷入口", en: "Shortcuts" },
});
