// ECharts options for the trend lines and the ranked bars.
import { FIGURE, exact } from "./figures.js";

const COLORS = { now: "#ffc53d", before: "#5b8ff9", axis: "#8fa3c8", grid: "#1a2f5c" };
const AXIS_STYLE = {
  axisLine: { lineStyle: { color: COLORS.axis } },
  axisLabel: { color: COLORS.axis },
  splitLine: { lineStyle: { color: COLORS.grid } },
};
const RANK_LIMIT = 30;

// A chart follows its box: the window, the cards' and the bulletin's heights all move it.
export function chartIn(id) {
  const element = document.getElementById(id);
  const existing = echarts.getInstanceByDom(element);
  if (existing) return existing;
  const chart = echarts.init(element, null, { renderer: "canvas" });
  new ResizeObserver(() => chart.resize()).observe(element);
  return chart;
}

// Long names are cut here rather than by the library, which measures them a character at a time.
const LABEL_CHARACTERS = 8;
const shortened = (name) => (name.length > LABEL_CHARACTERS ? `${name.slice(0, LABEL_CHARACTERS - 1)}…` : name);

const shortDate = (iso) => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;

// This campaign's line and, where there is one, last year's aligned by day of campaign.
export function trendOption(series, figure, mode) {
  const side = mode === "daily" ? "figures" : "cumulative";
  const now = series.periods.map((point) => point[side][figure]);
  const before = series.periods.map((point) => point.previous?.[side][figure] ?? null);
  const lines = [{ name: "本届", type: "line", data: now, showSymbol: false, color: COLORS.now, lineStyle: { width: 3 } }];
  if (series.previous_campaign) {
    lines.push({ name: "上届同期", type: "line", data: before, showSymbol: false, color: COLORS.before, lineStyle: { type: "dashed" } });
  }
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0, right: 0, textStyle: { color: COLORS.axis } },
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const point = series.periods[items[0].dataIndex];
        const lines = items.map((item) => {
          const when = item.seriesIndex === 0 ? point.start : point.previous?.start;
          return `${item.marker}${item.seriesName} ${when ?? ""}：${exact(item.value)}${FIGURE[figure].unit}`;
        });
        return lines.join("<br>");
      },
    },
    xAxis: {
      type: "category", data: series.periods.map((point) => shortDate(point.start)), ...AXIS_STYLE,
      // A fixed interval: left to the library, it measures every one of a hundred labels.
      axisLabel: { color: COLORS.axis, interval: Math.ceil(series.periods.length / 8) - 1 },
      splitLine: { show: false },
    },
    yAxis: { type: "value", ...AXIS_STYLE, axisLabel: { color: COLORS.axis, formatter: (v) => (v >= 10000 ? `${v / 10000}万` : v) } },
    series: lines,
  };
}

// Ranked bars, largest first (or in code order), at most RANK_LIMIT of them.
export function rankOption(groups, metric, order, nameOf) {
  const rows = groups
    .filter((group) => group.code !== null)
    .map((group) => ({ code: group.code, name: nameOf(group), value: group.figures[metric] ?? 0 }));
  rows.sort(order === "code" ? (a, b) => a.code.localeCompare(b.code) : (a, b) => b.value - a.value || a.code.localeCompare(b.code));
  const shown = rows.slice(0, RANK_LIMIT);
  const option = {
    animation: false,
    grid: { left: 8, right: 70, top: 4, bottom: 4, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: ({ data }) => `${echarts.format.encodeHTML(data.name)}：${exact(data.value)}${FIGURE[metric].unit}`,
    },
    xAxis: { type: "value", show: false },
    yAxis: {
      type: "category", inverse: true, data: shown.map((row) => shortened(row.name)),
      axisLabel: { color: COLORS.axis }, axisLine: { show: false }, axisTick: { show: false },
    },
    series: [{
      type: "bar", data: shown.map((row) => ({ value: row.value, code: row.code, name: row.name })), color: COLORS.now, barMaxWidth: 18,
      label: { show: true, position: "right", color: "#e8eefc", formatter: ({ value }) => exact(value) },
    }],
  };
  return { option, shown: shown.length, total: rows.length };
}
