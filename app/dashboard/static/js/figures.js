// The nine figures (SPEC.md, "What the numbers mean") as the page labels them.
export const FIGURES = [
  { key: "universities_visiting", label: "走访高校", unit: "所" },
  { key: "enterprises_visited", label: "走访企业", unit: "家" },
  { key: "visits", label: "走访次数", unit: "次" },
  { key: "positions_opened", label: "新开拓岗位", unit: "个" },
  { key: "events", label: "校园招聘活动", unit: "场" },
  { key: "employers_at_events", label: "参加活动企业", unit: "家" },
  { key: "attendances", label: "毕业生现场参加", unit: "人次" },
  { key: "postings", label: "岗位信息", unit: "条" },
  { key: "headcount", label: "招聘人数", unit: "人" },
];
export const FIGURE = Object.fromEntries(FIGURES.map((figure) => [figure.key, figure]));

// 1234567 -> "1,234,567" (a regular expression: the first toLocaleString costs more than a page).
export const exact = (value) => (value == null ? "—" : String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ","));

export function change(percent) {
  if (percent == null) return { text: "较上年 —", direction: "" };
  const sign = percent > 0 ? "+" : "";
  return { text: `较上年 ${sign}${percent.toFixed(1)}%`, direction: percent > 0 ? "up" : percent < 0 ? "down" : "" };
}

export const ROLE_LABELS = { national: "全国", province: "省级", university: "高校", reader: "只读" };

// One figure of a panel: its label, the number, its unit; `key` names it for the page's tests.
export function figure(key, label, value, unit) {
  const shown = document.createElement("span");
  shown.className = "figure";
  shown.dataset.figure = key;
  shown.innerHTML = `<span class="label"></span><b></b><span class="unit"></span>`;
  shown.querySelector(".label").textContent = label;
  shown.querySelector("b").textContent = value;
  shown.querySelector(".unit").textContent = unit;
  return shown;
}
