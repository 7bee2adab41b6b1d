// The panel of policy positions (政策性岗位): the campaign's year, the page's province, how far
// each programme's recruitment has filled its positions, and the report's sentence.
import * as api from "./api.js";
import { change, exact, figure } from "./figures.js";

// The figures as of the campaign's last day when it has one in that year, else the year's end.
export const asOfIn = (year, campaign) =>
  campaign && campaign.end_date.startsWith(String(year)) ? campaign.end_date : `${year}-12-31`;

export async function fetchPolicy(year, asOf, province) {
  const [figures, bulletin] = await Promise.all([
    api.get("/stats/policy-positions", { year, as_of: asOf, province, by: "program" }),
    api.get("/reports/bulletin", { to: asOf, province, section: "policy" }),
  ]);
  return { figures, bulletin };
}

// A programme's fill: its name, the share of its positions filled, as a number and a bar.
function fill(row) {
  const shown = document.createElement("span");
  shown.className = "fill";
  shown.dataset.program = row.key;
  shown.title = `${row.label}：岗位 ${exact(row.offered)} 个，已录用 ${exact(row.filled)} 人`;
  shown.innerHTML = `<span class="label"></span><span class="bar"><i></i></span><b></b>`;
  shown.querySelector(".label").textContent = row.label;
  shown.querySelector("i").style.width = `${Math.min(row.fill_rate ?? 0, 100)}%`;
  shown.querySelector("b").textContent = row.fill_rate == null ? "—" : `${row.fill_rate.toFixed(1)}%`;
  return shown;
}

// The sentences shown: what was offered, and how far it is filled (the programmes are the bars).
export const shownSentences = (bulletin) =>
  bulletin.sentences.filter((sentence) => !sentence.text.startsWith("其中")).map((sentence) => sentence.text).join("");

export function drawPolicy(element, { figures, bulletin }) {
  const title = document.createElement("h2");
  title.textContent = `政策性岗位 · ${figures.year}年`;
  const kept = figures.figures;
  const shown = [
    figure("offered", "岗位", exact(kept.offered), "个"),
    figure("filled", "已录用", exact(kept.filled), kept.fill_rate == null ? "人" : `人（${kept.fill_rate.toFixed(1)}%）`),
    figure("on_duty", "已到岗", exact(kept.on_duty), "人"),
    figure("change_percent", "", change(kept.change_percent).text, ""),
  ];
  const fills = figures.rows.filter((row) => row.offered > 0).map(fill);
  const sentence = document.createElement("p");
  sentence.className = "sentence";
  sentence.textContent = kept.offered ? shownSentences(bulletin) : "暂无政策性岗位数据。";
  element.replaceChildren(title, ...shown, ...fills, sentence);
}
