// The panel of school–enterprise matchmaking (校企供需对接): the sessions held within the page's
// range and province, who took part, the intents reached there by type and how far they have
// gone (签约, 落地), and the report's sentence of the busiest session.
import * as api from "./api.js";
import { exact, figure } from "./figures.js";

export async function fetchMatchmaking(range, province) {
  const [figures, bulletin] = await Promise.all([
    api.get("/stats/matchmaking", { ...range, province, by: "type" }),
    api.get("/reports/bulletin", { ...range, province, section: "matchmaking" }),
  ]);
  return { figures, bulletin };
}

function type(row) {
  const shown = document.createElement("span");
  shown.className = "type";
  shown.dataset.type = row.key;
  shown.innerHTML = `<span class="label"></span><b></b>`;
  shown.querySelector(".label").textContent = row.label;
  shown.querySelector("b").textContent = exact(row.intents);
  return shown;
}

export function drawMatchmaking(element, { figures, bulletin }) {
  const title = document.createElement("h2");
  title.textContent = "校企供需对接";
  const kept = figures.figures;
  const shown = [
    figure("sessions", "对接活动", exact(kept.sessions), "场"),
    figure("universities", "高校", exact(kept.universities), "所"),
    figure("employers", "企业", exact(kept.employers), "家"),
    figure("intents", "合作意向", exact(kept.intents), "个"),
    figure("signed", "已签约", exact(kept.signed + kept.landed), "个"),
    figure("landed", "已落地", exact(kept.landed), "个"),
  ];
  const sentence = document.createElement("p");
  sentence.className = "sentence";
  const written = bulletin.sentences;
  sentence.textContent = written.length ? written[written.length - 1].text : "暂无校企供需对接数据。";
  element.replaceChildren(title, ...shown, ...figures.rows.map(type), sentence);
}
