// The panel of the ledgers of graduates in difficulty (重点群体帮扶): the cohort of the campaign's
// year, the same province as the rest of the page; figures only, never a person.
import * as api from "./api.js";
import { exact } from "./figures.js";

const SHOWN = [
  { key: "graduates", label: "困难毕业生", unit: "人" },
  { key: "placed", label: "已落实", unit: "人", share: "placement_rate" },
  { key: "served_to_standard", label: "帮扶达标", unit: "人", share: "served_to_standard_share" },
  { key: "trained", label: "参加培训", unit: "人" },
  { key: "unemployed", label: "未就业", unit: "人" },
];

export const cohortOf = (campaign) => (campaign ? Number(campaign.start_date.slice(0, 4)) : new Date().getFullYear());

export async function fetchAssistance(cohort, province) {
  const scope = { cohort, province };
  const [summary, bulletin] = await Promise.all([
    api.get("/stats/assistance", scope),
    api.get("/stats/assistance/bulletin", scope),
  ]);
  return { summary, bulletin };
}

export function drawAssistance(element, { summary, bulletin }) {
  const title = document.createElement("h2");
  title.textContent = `重点群体帮扶 · ${summary.cohort}届`;
  const figures = SHOWN.map((shown) => {
    const figure = document.createElement("span");
    figure.className = "figure";
    figure.dataset.figure = shown.key;
    const share = shown.share && summary.figures[shown.share] != null ? `（${summary.figures[shown.share]}%）` : "";
    figure.innerHTML = `<span class="label"></span><b></b><span class="unit"></span>`;
    figure.querySelector(".label").textContent = shown.label;
    figure.querySelector("b").textContent = exact(summary.figures[shown.key]);
    figure.querySelector(".unit").textContent = shown.unit + share;
    return figure;
  });
  const sentence = document.createElement("p");
  sentence.className = "sentence";
  sentence.textContent = bulletin.text;
  element.replaceChildren(title, ...figures, sentence);
}
