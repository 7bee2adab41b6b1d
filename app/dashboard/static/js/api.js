// The service's API as the page uses it: the viewer's token on every request, and conditional
// requests, so that figures that have not changed cost a 304 and no body.
const API = "/api/v1";
const TOKEN_KEY = "jobfair.token";
const KEEP_ANSWERS = 64;
const answers = new Map(); // url -> {etag, body}, oldest first

export class SignInNeeded extends Error {}

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const keepToken = (value) => sessionStorage.setItem(TOKEN_KEY, value.trim());

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  answers.clear();
}

// A reader token may come in the address's fragment (#token=…), which browsers never send to the
// server or its logs. It is kept for this tab and taken out of the address bar, so that copying
// the address shares the view but not the token.
export function takeTokenFromAddress() {
  const given = new URLSearchParams(location.hash.slice(1)).get("token");
  if (given) {
    keepToken(given);
    history.replaceState(null, "", location.pathname + location.search);
  }
}

function remember(url, etag, body) {
  answers.delete(url);
  answers.set(url, { etag, body });
  if (answers.size > KEEP_ANSWERS) answers.delete(answers.keys().next().value);
}

async function problemOf(answer) {
  try {
    return await answer.json();
  } catch {
    return { title: answer.statusText };
  }
}

export async function get(path, params = {}) {
  const given = Object.entries(params).filter(([, value]) => value != null && value !== "");
  const query = new URLSearchParams(given).toString();
  const url = `${API}${path}${query ? `?${query}` : ""}`;
  const headers = { Authorization: `Bearer ${token()}` };
  const kept = answers.get(url);
  if (kept) headers["If-None-Match"] = kept.etag;
  const answer = await fetch(url, { headers, cache: "no-store" });
  if (answer.status === 304 && kept) return kept.body;
  if (answer.status === 401) {
    forgetToken();
    throw new SignInNeeded("登录已过期或令牌无效，请重新登录。");
  }
  if (!answer.ok) throw new ApiProblem(answer.status, await problemOf(answer));
  const body = await answer.json();
  const etag = answer.headers.get("ETag");
  if (etag) remember(url, etag, body);
  return body;
}

export async function signIn(username, password) {
  const answer = await fetch(`${API}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!answer.ok) throw new ApiProblem(answer.status, await problemOf(answer));
  keepToken((await answer.json()).access_token);
}
