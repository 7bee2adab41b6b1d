// What the page shows, kept in the address's query string, so that a view can be shared or put
// on a screen: ?campaign=2023-sprint&province=44&industry=I&metric=visits …
const DEFAULTS = {
  campaign: "", from: "", to: "", province: "", industry: "",
  metric: "positions_opened", order: "value", trend: "cumulative", refresh: "60",
};
const MIN_REFRESH_SECONDS = 5;

export function readView() {
  const asked = new URLSearchParams(location.search);
  return Object.fromEntries(
    Object.entries(DEFAULTS).map(([key, fallback]) => [key, asked.get(key) || fallback]),
  );
}

export function writeView(view) {
  const kept = Object.entries(view).filter(([key, value]) => value && value !== DEFAULTS[key]);
  const query = new URLSearchParams(kept).toString();
  history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
}

export function refreshSeconds(view) {
  const asked = Number.parseInt(view.refresh, 10);
  return Number.isFinite(asked) ? Math.max(asked, MIN_REFRESH_SECONDS) : Number(DEFAULTS.refresh);
}
