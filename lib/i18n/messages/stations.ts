import { defineMessages } from "../core";

/** Station list (console). */
export const stationMessages = defineMessages({
  title: { "zh-CN": "服务站", en: "Service stations" },
  subtitle: { "zh-CN": "共 {count} 个", en: "{count} stations" },
  filterKind: { "zh-CN": "类型", en: "Kind" },
  allKinds: { "zh-CN": "全部类型", en: "All kinds" },
  apply: { "zh-CN": "筛选", en: "Apply" },
  colName: { "zh-CN": "名称", en: "Name" },
  colKind: { "zh-CN": "类型", en: "Kind" },
  colCommunity: { "zh-CN": "社区", en: "Community" },
  colHours: { "zh-CN": "开放时间", en: "Opening hours" },
  colPhone: { "zh-CN": "电话", en: "Phone" },
  colStatus: { "zh-CN": "状态", en: "Status" },
  empty: { "zh-CN": "暂无服务站。", en: "No stations yet." },
  rowTitle: { "zh-CN": "在地图上定位 {name}", en: "Show {name} on the map" },
  hoursUnknown: { "zh-CN": "未公布", en: "Not published" },
});
