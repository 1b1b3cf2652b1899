/**
 * Case categories: 大类 (major) / 小类 (minor) with codes, in the style of the 数字化城市管理 事件/部件 classification.
 *
 * The code structure is modelled on GB/T 30428 (数字化城市管理信息系统) and CJ/T 214 (管理部件和事件): a 大类 has a
 * 2-digit code and each 小类 a 2-digit code inside it, so a 小类 code is 4 digits ("0102" = 大类 01, 小类 02). The
 * names, limits and numbers here are Wangge's own — modelled on those standards, not copied from them — and the urban
 * 事件/部件 groups are extended with community governance matters (矛盾纠纷, 民生诉求, 治安隐患, 物业管理).
 *
 * Each 小类 carries its handling limit (working hours, working days or 当日 same-day, computed with the working
 * calendar of lib/cases/calendar.ts), the grid-member specialty that handles it (the `specialty` enum of
 * db/schema/teams.ts), the radius and time window in which intake suggests duplicates, and its Open311 GeoReport v2
 * service entry (`service_code` = the 小类 code, `group` = the 大类 name).
 */
import type { GridMember } from "@/db/schema/teams";
import type { Locale } from "@/lib/i18n/core";

export type Specialty = GridMember["specialty"];

/** Same values as the `specialty` enum (a unit test keeps them equal): 党建引领, 矛盾调处, 民生服务, 社会治安, 城建物业, 综合执法. */
export const SPECIALTIES = [
  "party_building",
  "dispute_mediation",
  "livelihood",
  "public_security",
  "urban_property",
  "law_enforcement",
] as const satisfies readonly Specialty[];

/** Handling limit: N working hours, N working days, or 当日事当日清 (by the end of the current working day). */
export type HandlingLimit =
  | { unit: "working_hours"; value: number }
  | { unit: "working_days"; value: number }
  | { unit: "same_day" };

/** 事件 (an event) or 部件 (a piece of public infrastructure). */
export type CategoryKind = "event" | "component";

export type MajorCategory = {
  code: string;
  kind: CategoryKind;
  nameZh: string;
  nameEn: string;
};

export type MinorCategory = {
  /** 4 digits: 大类 code + 小类 code; also the Open311 service_code. */
  code: string;
  majorCode: string;
  nameZh: string;
  nameEn: string;
  limit: HandlingLimit;
  specialty: Specialty;
  /** Intake suggests open cases of the same 小类 within this radius (m) and window (h) as duplicates. */
  duplicate: { radiusM: number; windowH: number };
  /** Open311 keywords (zh-CN search terms). */
  keywords: readonly string[];
};

const hours = (value: number): HandlingLimit => ({ unit: "working_hours", value });
const days = (value: number): HandlingLimit => ({ unit: "working_days", value });
const sameDay: HandlingLimit = { unit: "same_day" };

export const MAJOR_CATEGORIES: readonly MajorCategory[] = [
  { code: "01", kind: "event", nameZh: "市容环境", nameEn: "City appearance and environment" },
  { code: "02", kind: "event", nameZh: "街面秩序", nameEn: "Street order" },
  { code: "03", kind: "event", nameZh: "施工管理", nameEn: "Construction management" },
  { code: "04", kind: "event", nameZh: "突发事件", nameEn: "Emergencies" },
  { code: "05", kind: "component", nameZh: "公用设施", nameEn: "Public facilities" },
  { code: "06", kind: "event", nameZh: "矛盾纠纷", nameEn: "Disputes" },
  { code: "07", kind: "event", nameZh: "民生诉求", nameEn: "Livelihood requests" },
  { code: "08", kind: "event", nameZh: "治安隐患", nameEn: "Public security hazards" },
  { code: "09", kind: "event", nameZh: "物业管理", nameEn: "Property management" },
];

function minor(
  code: string,
  nameZh: string,
  nameEn: string,
  limit: HandlingLimit,
  specialty: Specialty,
  radiusM: number,
  windowH: number,
  keywords: readonly string[],
): MinorCategory {
  return {
    code,
    majorCode: code.slice(0, 2),
    nameZh,
    nameEn,
    limit,
    specialty,
    duplicate: { radiusM, windowH },
    keywords,
  };
}

export const MINOR_CATEGORIES: readonly MinorCategory[] = [
  // 01 市容环境
  minor("0101", "暴露垃圾", "Exposed rubbish", sameDay, "urban_property", 50, 24, ["垃圾", "垃圾堆", "脏乱"]),
  minor("0102", "积存垃圾渣土", "Accumulated waste and muck", days(1), "urban_property", 80, 48, ["渣土", "建筑垃圾"]),
  minor("0103", "道路不洁", "Dirty road surface", sameDay, "urban_property", 100, 24, ["路面", "污渍", "油污"]),
  minor("0104", "违章张贴小广告", "Illegal flyers and posters", days(1), "law_enforcement", 50, 72, [
    "小广告",
    "牛皮癣",
  ]),
  minor("0105", "焚烧垃圾树叶", "Burning rubbish or leaves", hours(2), "law_enforcement", 150, 12, ["焚烧", "烟雾"]),
  // 02 街面秩序
  minor("0201", "占道经营", "Street vending on the roadway", hours(4), "law_enforcement", 50, 24, ["摊贩", "占道"]),
  minor("0202", "店外经营", "Trading outside the shop front", hours(4), "law_enforcement", 30, 48, ["出店", "店外"]),
  minor("0203", "非机动车乱停放", "Disorderly parked bicycles", hours(4), "law_enforcement", 50, 24, [
    "单车",
    "电动车",
  ]),
  minor("0204", "机动车违停占道", "Cars parked on pavement", hours(2), "law_enforcement", 30, 12, [
    "违停",
    "占用人行道",
  ]),
  // 03 施工管理
  minor("0301", "施工扰民", "Construction noise at night", hours(2), "law_enforcement", 200, 24, ["噪音", "夜间施工"]),
  minor("0302", "施工扬尘", "Construction dust", hours(4), "law_enforcement", 200, 48, ["扬尘", "未覆盖"]),
  minor("0303", "道路遗撒", "Spillage from trucks", hours(2), "urban_property", 300, 12, ["遗撒", "泥土", "渣土车"]),
  minor("0304", "违法建设", "Unauthorised building works", days(5), "law_enforcement", 50, 720, ["违建", "搭建"]),
  // 04 突发事件
  minor("0401", "路面塌陷", "Road collapse", hours(1), "urban_property", 100, 6, ["塌陷", "坑洞"]),
  minor("0402", "道路积水", "Flooded road", hours(2), "urban_property", 200, 6, ["积水", "内涝"]),
  minor("0403", "燃气泄漏", "Gas leak", hours(1), "public_security", 200, 6, ["燃气", "煤气", "异味"]),
  minor("0404", "火灾隐患", "Fire hazard", hours(2), "public_security", 100, 12, ["消防", "堵塞通道", "飞线充电"]),
  // 05 公用设施 (部件)
  minor("0501", "井盖缺损", "Missing or broken manhole cover", hours(4), "urban_property", 30, 72, ["井盖", "窨井"]),
  minor("0502", "路灯不亮", "Street light out", days(2), "urban_property", 50, 72, ["路灯", "照明"]),
  minor("0503", "护栏损坏", "Damaged railing", days(3), "urban_property", 50, 168, ["护栏", "隔离栏"]),
  minor("0504", "健身器材损坏", "Broken fitness equipment", days(5), "urban_property", 50, 168, [
    "健身器材",
    "游乐设施",
  ]),
  minor("0505", "消防栓损坏", "Damaged fire hydrant", days(1), "public_security", 30, 72, ["消防栓", "漏水"]),
  // 06 矛盾纠纷
  minor("0601", "邻里纠纷", "Neighbour dispute", days(3), "dispute_mediation", 30, 168, ["邻居", "漏水", "噪音"]),
  minor("0602", "家庭纠纷", "Family dispute", days(3), "dispute_mediation", 20, 168, ["家庭", "赡养", "婚姻"]),
  minor("0603", "劳资纠纷", "Wage dispute", days(5), "dispute_mediation", 100, 168, ["欠薪", "工资"]),
  minor("0604", "物业与业主纠纷", "Owner–property company dispute", days(5), "dispute_mediation", 100, 336, [
    "物业费",
    "业委会",
  ]),
  // 07 民生诉求
  minor("0701", "困难群众帮扶", "Help for households in hardship", days(5), "livelihood", 30, 720, [
    "低保",
    "困难",
    "救助",
  ]),
  minor("0702", "独居老人关爱", "Care for elderly living alone", days(1), "livelihood", 30, 168, [
    "老人",
    "独居",
    "助老",
  ]),
  minor("0703", "社区服务咨询", "Community service enquiry", days(3), "livelihood", 100, 168, ["咨询", "办事", "证明"]),
  minor("0704", "党员联系服务", "Party member liaison service", days(5), "party_building", 200, 720, [
    "党员",
    "志愿服务",
    "先锋岗",
  ]),
  // 08 治安隐患
  minor("0801", "可疑人员车辆", "Suspicious person or vehicle", hours(1), "public_security", 200, 6, [
    "可疑",
    "陌生人",
  ]),
  minor("0802", "群租房隐患", "Overcrowded rental flat", days(2), "public_security", 30, 720, ["群租", "出租屋"]),
  minor("0803", "电动车违规充电", "Unsafe e-bike charging", hours(4), "public_security", 50, 48, ["飞线", "楼道充电"]),
  minor("0804", "技防设施故障", "Broken security camera or gate", days(2), "public_security", 50, 168, [
    "监控",
    "门禁",
  ]),
  // 09 物业管理
  minor("0901", "电梯故障", "Lift out of service", hours(4), "urban_property", 30, 24, ["电梯", "困人"]),
  minor("0902", "楼道堆物", "Objects stored in the stairwell", days(1), "urban_property", 30, 72, ["楼道", "杂物"]),
  minor("0903", "二次供水问题", "Building water supply problem", hours(8), "urban_property", 100, 24, ["停水", "水质"]),
  minor("0904", "小区绿化破坏", "Damaged estate greenery", days(3), "urban_property", 50, 168, [
    "绿化",
    "毁绿",
    "种菜",
  ]),
];

const MAJOR_BY_CODE = new Map(MAJOR_CATEGORIES.map((m) => [m.code, m]));
const MINOR_BY_CODE = new Map(MINOR_CATEGORIES.map((m) => [m.code, m]));

export const MINOR_CODE_PATTERN = /^\d{4}$/;

export function majorCategory(code: string): MajorCategory | undefined {
  return MAJOR_BY_CODE.get(code);
}

/** The 小类 for a code (= Open311 service_code), undefined for an unknown code. */
export function minorCategory(code: string): MinorCategory | undefined {
  return MINOR_BY_CODE.get(code);
}

export function isCategoryCode(code: unknown): code is string {
  return typeof code === "string" && MINOR_BY_CODE.has(code);
}

export function minorCategoriesOf(majorCode: string): MinorCategory[] {
  return MINOR_CATEGORIES.filter((m) => m.majorCode === majorCode);
}

export function categoryName(category: MajorCategory | MinorCategory, locale: Locale): string {
  return locale === "en" ? category.nameEn : category.nameZh;
}

/** An entry of the Open311 GeoReport v2 service list (GET services). */
export type Open311Service = {
  service_code: string;
  service_name: string;
  description: string;
  metadata: false;
  type: "realtime";
  keywords: string;
  group: string;
};

export function open311Service(category: MinorCategory, locale: Locale = "zh-CN"): Open311Service {
  const major = MAJOR_BY_CODE.get(category.majorCode);
  if (!major) throw new Error(`category ${category.code} has no 大类 ${category.majorCode}`);
  return {
    service_code: category.code,
    service_name: categoryName(category, locale),
    description: `${categoryName(major, locale)} / ${categoryName(category, locale)}`,
    metadata: false,
    type: "realtime",
    keywords: category.keywords.join(","),
    group: categoryName(major, locale),
  };
}

export function open311Services(locale: Locale = "zh-CN"): Open311Service[] {
  return MINOR_CATEGORIES.map((c) => open311Service(c, locale));
}
