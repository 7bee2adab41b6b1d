// The dashboard: signs in, reads the figures for the view in the address, draws them, and polls.
import * as api from "./api.js";
import { cohortOf, drawAssistance, fetchAssistance } from "./assistance.js";
import { chartIn, rankOption, trendOption } from "./charts.js";
import { FIGURE, FIGURES, ROLE_LABELS, change, exact } from "./figures.js";
import { drawMatchmaking, fetchMatchmaking } from "./matchmaking.js";
import { asOfIn, drawPolicy, fetchPolicy } from "./policy.js";
import { readView, refreshSeconds, writeView } from "./view.js";

const TRENDS = ["visits", "positions_opened", "events", "postings"];
const $ = (id) => document.getElementById(id);
// The chart library runs after this module (index.html), so that the first requests are on their
// way while it is parsed; it has run by DOMContentLoaded.
const chartLibrary = new Promise((resolve) => {
  if (document.readyState === "complete") resolve();
  else document.addEventListener("DOMContentLoaded", resolve, { once: true });
});
const LIBRARY_MISSING = "图表库未随服务安装：请重新安装 jobfair（pip install .），或运行 python -m app.dashboard.vendor。";
const state = { me: null, campaigns: [], provinces: {}, industries: {}, view: readView(), busy: false, timer: null };

function showProblem(message) {
  $("problem").textContent = message;
  $("problem").hidden = !message;
}

function askSignIn(message) {
  clearInterval(state.timer);
  $("board").hidden = true;
  $("filters").hidden = true;
  $("sign-out").hidden = true;
  document.body.dataset.state = "signed-out";
  $("sign-in-message").textContent = message || "请使用账号登录，或粘贴只读令牌。";
  if (!$("sign-in").open) $("sign-in").showModal();
}

async function submitSignIn(event) {
  event.preventDefault();
  const form = new FormData($("sign-in-form"));
  try {
    if (form.get("token").trim()) api.keepToken(form.get("token"));
    else await api.signIn(form.get("username").trim(), form.get("password"));
    $("sign-in-form").reset();
    $("sign-in").close();
    await start();
  } catch (error) {
    const refused = { 401: "用户名或密码错误。", 429: "尝试次数过多，请稍后再试。", 422: "请填写用户名和密码。" };
    $("sign-in-message").textContent = refused[error.status] || error.message;
  }
}

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

async function loadReference() {
  const [me, campaigns, provinces, industries] = await Promise.all([
    api.get("/auth/me"),
    api.get("/campaigns", { limit: 1000 }),
    api.get("/reference/provinces"),
    api.get("/reference/industries"),
  ]);
  state.me = me;
  state.campaigns = [...campaigns.items].sort((a, b) => b.start_date.localeCompare(a.start_date));
  state.provinces = Object.fromEntries(provinces.map((p) => [p.code, p]));
  state.industries = Object.fromEntries(industries.map((i) => [i.code, i]));
  $("f-campaign").replaceChildren(...state.campaigns.map((c) => option(c.slug, c.name)));
  $("f-province").replaceChildren(option("", "全国"), ...provinces.map((p) => option(p.code, p.name)));
  $("f-industry").replaceChildren(option("", "全部行业"), ...industries.map((i) => option(i.code, `${i.code} ${i.name}`)));
  $("f-metric").replaceChildren(...FIGURES.map((f) => option(f.key, f.label)));
}

// The province a view is about: the token's own, else the one chosen.
const provinceOf = (view) => state.me.province || view.province || "";
const campaignOf = (view) => state.campaigns.find((c) => c.slug === view.campaign) || state.campaigns[0] || null;

function showFilters(view) {
  const campaign = campaignOf(view);
  for (const name of ["metric", "order", "trend", "industry"]) $(`f-${name}`).value = view[name];
  $("f-campaign").value = campaign ? campaign.slug : "";
  $("f-from").value = view.from || campaign?.start_date || "";
  $("f-to").value = view.to || campaign?.end_date || "";
  $("f-province").value = provinceOf(view);
  $("f-province").disabled = Boolean(state.me.province);
  $("campaign-name").textContent = campaign ? `${campaign.name} · 数据看板` : "高校毕业生就业数据看板";
  const reach = state.me.university_code ? `学校 ${state.me.university_code}` : state.provinces[state.me.province]?.name || "全国";
  $("scope-label").textContent = `${state.me.name}（${ROLE_LABELS[state.me.role]} · ${reach}）`;
}

function changeFilter(event) {
  const view = { ...state.view, [event.target.name]: event.target.value };
  if (event.target.name === "campaign") Object.assign(view, { from: "", to: "" });
  const campaign = campaignOf(view);
  // Dates equal to the campaign's are left out of the address: the campaign says them.
  if (view.from === campaign?.start_date) view.from = "";
  if (view.to === campaign?.end_date) view.to = "";
  state.view = view;
  writeView(view);
  refresh();
}

function geography(view) {
  if (state.me.university_code) return { by: "event_kind", title: "按活动类型", nameOf: (g) => g.name };
  const province = provinceOf(view);
  const named = state.provinces[province]?.name ?? province;
  if (province) return { by: "university", title: `${named}高校排行`, nameOf: (g) => g.name };
  return { by: "province", title: "各省份排行", nameOf: (g) => state.provinces[g.code]?.short_name || g.name };
}

async function fetchFigures(view) {
  const campaign = campaignOf(view);
  const scope = { campaign: campaign?.slug, from: view.from, to: view.to, province: provinceOf(view), industry: view.industry };
  const compare = campaign?.previous ? "previous" : null;
  const geo = geography(view);
  const ranged = Boolean(campaign || (view.from && view.to));
  const year = cohortOf(campaign);
  // Matchmaking counts sessions by their day: the campaign's days, unless others are asked.
  const days = { from: view.from || campaign?.start_date, to: view.to || campaign?.end_date };
  const [summary, bulletin, series, byGeo, byIndustry, assistance, policy, matchmaking] = await Promise.all([
    api.get("/stats/summary", { ...scope, compare }),
    api.get("/reports/bulletin", scope),
    ranged ? api.get("/stats/timeseries", { ...scope, interval: "day", compare }) : null,
    api.get("/stats/breakdown", { ...scope, by: geo.by }),
    api.get("/stats/breakdown", { ...scope, by: "industry" }),
    fetchAssistance(year, scope.province),
    fetchPolicy(year, asOfIn(year, campaign), scope.province),
    fetchMatchmaking(days, scope.province),
  ]);
  return { summary, bulletin, series, byGeo, byIndustry, geo, assistance, policy, matchmaking };
}

function drawCards(summary, bulletin) {
  const cards = FIGURES.map((figure) => {
    const card = document.createElement("article");
    card.className = "card";
    card.dataset.figure = figure.key;
    const moved = change(summary.change_percent?.[figure.key]);
    card.innerHTML = `<h3></h3><div class="value"><span class="number"></span><span class="unit"></span></div>
      <div class="written"></div><div class="change ${moved.direction}"></div>`;
    card.querySelector("h3").textContent = figure.label;
    card.querySelector(".number").textContent = exact(summary.figures[figure.key]);
    card.querySelector(".unit").textContent = figure.unit;
    card.querySelector(".written").textContent = `通报口径：${bulletin.written[figure.key] ?? "—"}${figure.unit}`;
    // Never empty: a card keeps its height, so the charts below keep their size.
    card.querySelector(".change").textContent = summary.change_percent ? moved.text : "\u00a0";
    return card;
  });
  $("cards").replaceChildren(...cards);
  $("bulletin").textContent = bulletin.text;
}

const BLANK = { summary: { figures: {}, change_percent: {} }, bulletin: { written: {}, text: "\u00a0" } };

// The charts' first drawing costs the most (the library's code warms up): it is done empty, while
// the figures are on their way, and under blank cards, so that the figures do not move the layout
// (which would draw every chart again).
function prepareCharts() {
  if (!$("board").hidden) return;
  drawCards(BLANK.summary, BLANK.bulletin);
  $("board").hidden = false;
  const empty = { xAxis: { type: "category" }, yAxis: { type: "value" } };
  for (const id of [...TRENDS.map((figure) => `trend-${figure}`), "rank-geo", "rank-industry"]) {
    const bars = id.startsWith("rank");
    chartIn(id).setOption({ ...empty, series: [{ type: bars ? "bar" : "line", data: [] }] });
  }
}

function drawCharts(figures, view) {
  for (const figure of TRENDS) {
    const chart = chartIn(`trend-${figure}`);
    if (figures.series) chart.setOption(trendOption(figures.series, figure, view.trend), true);
    else chart.clear();
  }
  const metric = FIGURE[view.metric].label;
  const geo = rankOption(figures.byGeo.groups, view.metric, view.order, figures.geo.nameOf);
  chartIn("rank-geo").setOption(geo.option, true);
  const count = geo.total > geo.shown ? `（前${geo.shown}，共${geo.total}）` : "";
  $("geo-title").textContent = `${figures.geo.title} · ${metric}${count}`;
  const industry = rankOption(figures.byIndustry.groups, view.metric, view.order, (g) => state.industries[g.code]?.name || g.name);
  chartIn("rank-industry").setOption(industry.option, true);
  $("industry-title").textContent = `各行业排行 · ${metric}`;
}

async function refresh() {
  if (state.busy) return;
  state.busy = true;
  document.body.dataset.state = "loading";
  const view = state.view;
  try {
    showFilters(view);
    const from = $("f-from").value;
    const to = $("f-to").value;
    if (from && to && from > to) throw new Error(`起始日期（${from}）晚于截止日期（${to}）。`);
    const asked = fetchFigures(view);
    asked.catch(() => {}); // handled where awaited, below; not an unhandled rejection meanwhile
    await chartLibrary;
    if (typeof echarts === "undefined") throw new Error(LIBRARY_MISSING);
    prepareCharts();
    const figures = await asked;
    if (view !== state.view) return; // the filters changed meanwhile; their own refresh draws
    drawCards(figures.summary, figures.bulletin);
    drawAssistance($("assistance"), figures.assistance);
    drawPolicy($("policy"), figures.policy);
    drawMatchmaking($("matchmaking"), figures.matchmaking);
    drawCharts(figures, view);
    showProblem("");
    $("updated").textContent = `更新于 ${new Date().toLocaleTimeString("zh-CN", { hour12: false })}`;
    const renders = Number(document.body.dataset.renders) + 1;
    // The first drawing is the page's load time, as scripts/bench_dashboard.py reads it.
    if (renders === 1) performance.mark("jobfair-ready");
    document.body.dataset.renders = renders;
    document.body.dataset.state = "ready";
  } catch (error) {
    failed(error);
  } finally {
    state.busy = false;
    if (view !== state.view) refresh();
  }
}

function failed(error) {
  if (error instanceof api.SignInNeeded) return askSignIn(error.message);
  document.body.dataset.state = "failed";
  if (error instanceof api.ApiProblem) showProblem(`无法读取数据：${error.message}`);
  else showProblem(error instanceof TypeError ? `无法连接服务：${error.message}` : error.message);
}

async function start() {
  api.takeTokenFromAddress();
  if (!api.token()) return askSignIn();
  $("filters").hidden = false;
  try {
    await loadReference();
  } catch (error) {
    return failed(error);
  }
  $("sign-out").hidden = false;
  await refresh();
  clearInterval(state.timer);
  state.timer = setInterval(refresh, refreshSeconds(state.view) * 1000);
}

$("filters").addEventListener("change", changeFilter);
$("sign-in-form").addEventListener("submit", submitSignIn);
$("sign-out").addEventListener("click", () => {
  api.forgetToken();
  askSignIn();
});
start();
