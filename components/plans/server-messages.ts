/**
 * The planner API answers refusals in English (lib/plans/edits.ts, edit-geometry.ts, shared-boundary.ts,
 * publish.ts); the Chinese UI shows them in Chinese. Each pattern keeps the figures and codes of the original.
 * Unknown messages come back as undefined (the caller shows a Chinese lead plus the original).
 */
type Rule = [RegExp, (m: RegExpMatchArray) => string];

const RULES: Rule[] = [
  [/^plan (\d+) (?:does not exist|not found)$/, (m) => `方案 ${m[1]} 不存在`],
  [
    /^plan (\d+) is (\w+)[:,] only a draft can be/,
    (m) => `方案 ${m[1]} 不是草稿（${STATUS[m[2] ?? ""] ?? m[2]}），不能修改`,
  ],
  [/^grid (\d+) is not a grid of plan (\d+)$/, (m) => `网格 ${m[1]} 不属于方案 ${m[2]}`],
  [
    /^community (\d+) has (?:no free grid code left|used up its 9999 grid sequence numbers)/,
    (m) => `社区 ${m[1]} 的网格编号已用尽`,
  ],
  [
    /^grids (\d+) and (\d+) belong to different communities/,
    (m) => `网格 ${m[1]} 和 ${m[2]} 属于不同社区，编辑不能跨社区移动土地`,
  ],
  [
    /^grids (\d+) and (\d+) share only ([\d.]+) m of boundary \(more than ([\d.]+) m needed\)/,
    (m) => `网格 ${m[1]} 和 ${m[2]} 的公共边界只有 ${m[3]} 米（至少需要 ${m[4]} 米）`,
  ],
  [/^grids (\d+) and (\d+) are not adjacent/, (m) => `网格 ${m[1]} 和 ${m[2]} 不相邻`],
  [/^grids (\d+) and (\d+) share no boundary$/, (m) => `网格 ${m[1]} 和 ${m[2]} 没有公共边界`],
  [
    /^(?:grid|the boundary shared by grids) (\d+) and (\d+) is not one line \((\d+) pieces\)/,
    (m) => `网格 ${m[1]} 和 ${m[2]} 的公共边界分成 ${m[3]} 段，不能调整`,
  ],
  [
    /^grid (\d+) would fall into (\d+) separate parts/,
    (m) => `网格 ${m[1]} 会被分成 ${m[2]} 块互不相连的部分（网格必须是一个整体）`,
  ],
  [
    /would hold no building and only (\d+) m² \(an empty grid needs at least (\d+) m²\)/,
    (m) => `新网格没有楼栋且面积只有 ${m[1]} 平方米（空网格至少需要 ${m[2]} 平方米）`,
  ],
  [
    /^the line must cross grid (\d+) from one side to the other/,
    (m) => `线必须从一侧完整穿过网格 ${m[1]}（两端离边界不超过 5 米）`,
  ],
  [
    /^the line must divide grid (\d+) into exactly 2 pieces, it divides it into (\d+)/,
    (m) => `线必须把网格 ${m[1]} 恰好分成 2 块，现在分成了 ${m[2]} 块`,
  ],
  [/^the line leaves nothing on one side of grid (\d+)/, (m) => `保持楼栋完整后，线的一侧不剩任何区域（网格 ${m[1]}）`],
  [/^grids (\d+) and (\d+) do not form one polygon together$/, (m) => `网格 ${m[1]} 和 ${m[2]} 合并后不是一个整体`],
  [/^buildingIds: unknown building ([\d, ]+)$/, (m) => `未知楼栋：${m[1]}`],
  [/^building ([\d, ]+) lies in none of this plan's grids$/, (m) => `楼栋 ${m[1]} 不在本方案的任何网格内`],
  [/^the buildings lie in several grids/, () => "所选楼栋分属多个网格：请每次只从一个网格移出"],
  [/^building ([\d, ]+) already lies in the target grid$/, (m) => `楼栋 ${m[1]} 已在目标网格内`],
  [
    /^building ([\d, ]+) has no area of its own inside grid (\d+)$/,
    (m) => `楼栋 ${m[1]} 在网格 ${m[2]} 内没有自己的区域`,
  ],
  [/^building ([\d, ]+) is not next to grid (\d+)/, (m) => `楼栋 ${m[1]} 与网格 ${m[2]} 不相邻`],
  [
    /^moving building ([\d, ]+) would leave grid (\d+) (?:empty|without buildings)$/,
    (m) => `移动楼栋 ${m[1]} 会让网格 ${m[2]} 没有楼栋`,
  ],
  [
    /^moving building ([\d, ]+) would cut grid (\d+) into (\d+) parts/,
    (m) => `移动楼栋 ${m[1]} 会把网格 ${m[2]} 分成 ${m[3]} 块`,
  ],
  [
    /^moving building ([\d, ]+) would make grid (\d+) (\d+) separate parts/,
    (m) => `移动楼栋 ${m[1]} 会让网格 ${m[2]} 变成 ${m[3]} 块互不相连的部分`,
  ],
  [/^grids (\d+) and (\d+) cannot be re-split/, (m) => `网格 ${m[1]} 和 ${m[2]} 无法重新划分为两个网格`],
  [
    /^grids (\d+) \((\d+), ([^)]+)\) and (\d+) \((\d+), ([^)]+)\) are already as balanced as their buildings allow$/,
    (m) => `网格 ${m[1]}（${m[2]} 户，${m[3]}）和 ${m[4]}（${m[5]} 户，${m[6]}）已是楼栋允许的最均衡状态`,
  ],
  [/^the edit would make an invalid polygon for grid (\d+)/, (m) => `此编辑会让网格 ${m[1]} 的形状无效，请换一条线`],
  [
    /^the (\w[\w ]*?) could not be computed on these grids' outlines/,
    (m) =>
      `${OP[m[1] ?? ""] ?? "此编辑"}无法在这些网格的边界上完成计算（几何引擎错误），未做任何修改；请换一条稍有不同的线或重新选择`,
  ],
  [
    /^the (\w[\w ]*?) would cut building ([\d, ]+) between two grids/,
    (m) => `${OP[m[1] ?? ""] ?? "此编辑"}会把楼栋 ${m[2]} 分到两个网格中，未做任何修改；请换一条线或重新选择`,
  ],
  [/^plan (\d+) has no edit to undo$/, () => "没有可撤销的编辑"],
  [/^plan (\d+) has no undone edit to redo$/, () => "没有可重做的编辑"],
  [/^line: needs at least 2 distinct points$/, () => "线至少需要两个不同的点"],
  [/^line: lies \(partly\) outside the city$/, () => "线（部分）超出了城市范围"],
  [/^line: crosses itself once extended/, () => "线延长到网格边界后与自身相交"],
  [/^line: crosses itself$/, () => "线与自身相交"],
  [/^a and b must be two different grids$/, () => "请选择两个不同的网格"],
  [/^plan (\d+) has no grids to publish$/, (m) => `方案 ${m[1]} 没有可发布的网格`],
  [/^plan (\d+) cannot be published: (\d+) validation error/, (m) => `方案 ${m[1]} 有 ${m[2]} 个校验错误，不能发布`],
  [
    /^partition job (\d+) over some of these communities is still (\w+)/,
    (m) => `这些社区已有划分任务 ${m[1]} 在运行，请稍候`,
  ],
  [/^unknown communities: (.+)$/, (m) => `未知社区：${m[1]}`],
];

const OP: Record<string, string> = {
  split: "拆分",
  merge: "合并",
  move_buildings: "移动楼栋",
  "move buildings": "移动楼栋",
  reshape: "调整边界",
  rebalance: "自动平衡",
  undo: "撤销",
  redo: "重做",
};

const STATUS: Record<string, string> = { draft: "草稿", active: "现行", archived: "已归档" };

export function serverMessageZh(message: string): string | undefined {
  for (const [pattern, render] of RULES) {
    const match = message.match(pattern);
    if (match) return render(match);
  }
  return undefined;
}
