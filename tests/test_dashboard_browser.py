"""The dashboard driven in Debian's chromium against the service run as its own process, on the
demo campaign: what the page shows must be what the API answers for the same filters.

Skipped where chromium or Playwright is missing, unless JOBFAIR_BROWSER_TESTS=required (as in
.ci/run), which makes a missing browser a failure. The 1920×1080 screenshot is written to
DASHBOARD_SCREENSHOT_DIR (default: screenshots/ in the working folder)."""

import os
import re
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.schemas import AccountCreate, TokenCreate
from app.demo.loader import load_demo
from app.reports.numbers import bulletin_number
from app.stats.schemas import Figures
from tests.browser import READY, browser_missing, chromium, served

PASSWORD = "dashboard-test-password"
FIGURES = tuple(Figures.model_fields)  # the nine, in SPEC.md's order
GUANGDONG = "44"
BEIJING = "11"
SYSU = "4144010558"  # 中山大学, of the demo
SCREEN = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}


def _grant(session: Session, role: str, name: str, **reach) -> str:
    grant = TokenCreate(name=name, role=role, **reach)
    return auth_service.create_token(session, None, grant)[1]


@pytest.fixture(scope="module")
def live(committing_engine: Engine, tmp_path_factory: pytest.TempPathFactory):
    """The demo campaign in a database of the module's own, an account and tokens on it, and the
    service serving it."""
    missing = browser_missing()
    if missing:
        if os.environ.get("JOBFAIR_BROWSER_TESTS") == "required":
            pytest.fail(f"the browser tests are required here, but {missing}")
        pytest.skip(missing)
    with Session(committing_engine) as session:
        load_demo(session)
        account = AccountCreate(username="ministry", password=PASSWORD, role="national")
        auth_service.create_account(session, None, account)
        tokens = {
            "national": _grant(session, "national", "api check"),
            "screen": _grant(session, "reader", "大屏"),
            "guangdong": _grant(session, "reader", "广东大屏", province=GUANGDONG),
            "sysu": _grant(session, "university", "中大", university_code=SYSU),
        }
        session.commit()
    url = committing_engine.url.render_as_string(hide_password=False)
    with served(url, tmp_path_factory.mktemp("live")) as base_url:
        yield {"base_url": base_url, "tokens": tokens}


@pytest.fixture(scope="module")
def browser(live):
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, live):
    # The page runs under its own Content-Security-Policy, which forbids eval: the tests wait on
    # selectors, never on functions.
    context = browser.new_context(viewport=SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.elsewhere = []  # requests to anywhere but the service
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def only_the_service(route):
        if route.request.url.startswith(live["base_url"]):
            route.continue_()
        else:
            page.elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)
    yield page
    assert page.errors == [], page.errors
    assert page.elsewhere == [], page.elsewhere
    context.close()


def api(live, token: str, path: str, **params) -> dict:
    params = {key: value for key, value in params.items() if value is not None}
    answer = httpx.get(
        f"{live['base_url']}/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_dashboard(page, live, query: str = "", token: str | None = None) -> None:
    fragment = f"#token={token}" if token else ""
    page.goto(f"{live['base_url']}/dashboard{query}{fragment}")


def sign_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#sign-in-submit")


def renders(page) -> int:
    return int(page.get_attribute("body", "data-renders"))


def wait_for_render(page, count: int) -> None:
    page.wait_for_selector(f'body[data-renders="{count}"][data-state=ready]')


def choose(page, select: str, value: str) -> None:
    """Choose a filter and wait until the page has drawn the figures for it."""
    before = renders(page)
    page.select_option(select, value)
    wait_for_render(page, before + 1)


def chart_option(page, chart: str) -> dict:
    """A chart's option as ECharts holds it: what it draws."""
    return page.evaluate(
        f"echarts.getInstanceByDom(document.getElementById('{chart}')).getOption()"
    )


def bars(page, chart: str) -> dict[str, int]:
    """A ranked-bar chart's bars, top first, code -> value, as drawn."""
    return {bar["code"]: bar["value"] for bar in chart_option(page, chart)["series"][0]["data"]}


def cards_on(page) -> dict[str, int]:
    numbers = {}
    for figure in FIGURES:
        text = page.text_content(f".card[data-figure={figure}] .number")
        numbers[figure] = int(text.replace(",", ""))
    return numbers


def written_on(page) -> dict[str, str]:
    return {
        figure: page.text_content(f".card[data-figure={figure}] .written") for figure in FIGURES
    }


def assert_page_shows(page, live, token: str, **scope) -> dict:
    """The cards and the bulletin equal the API's answers for the same scope."""
    summary = api(live, token, "/stats/summary", campaign="2023-sprint", **scope)
    bulletin = api(live, token, "/reports/bulletin", campaign="2023-sprint", **scope)
    assert cards_on(page) == summary["figures"]
    assert page.text_content("#bulletin") == bulletin["text"]
    for figure, written in written_on(page).items():
        assert bulletin_number(summary["figures"][figure]) in written
    return summary


def test_signing_in_shows_the_national_figures_of_the_latest_campaign(page, live):
    open_dashboard(page, live)
    page.wait_for_selector("#sign-in[open]")
    assert page.get_attribute("body", "data-state") == "signed-out"

    sign_in(page, "ministry", PASSWORD)
    page.wait_for_selector(READY)

    token = live["tokens"]["national"]
    summary = assert_page_shows(page, live, token)
    assert summary["figures"]["visits"] == 600  # the demo's, so the comparison is not of zeros
    assert page.text_content("#bulletin").startswith("全国共有")
    assert "2023届高校毕业生就业“百日冲刺”行动" in page.text_content("#campaign-name")
    assert "ministry" in page.text_content("#scope-label")


def test_a_wrong_password_is_told_and_nothing_is_shown(page, live):
    open_dashboard(page, live)
    page.wait_for_selector("#sign-in[open]")
    sign_in(page, "ministry", "not the password")
    page.wait_for_selector("#sign-in-message:has-text('用户名或密码错误')")
    assert page.is_hidden("#board")


def test_changing_filters_shows_the_apis_figures_for_them_and_keeps_them_in_the_address(page, live):
    token = live["tokens"]["national"]
    open_dashboard(page, live, token=token)
    page.wait_for_selector(READY)
    national = cards_on(page)

    choose(page, "#f-province", GUANGDONG)
    guangdong = assert_page_shows(page, live, token, province=GUANGDONG)
    assert cards_on(page) != national
    assert "province=44" in page.url
    assert page.text_content("#geo-title").startswith("广东省高校排行")

    choose(page, "#f-industry", "I")
    assert_page_shows(page, live, token, province=GUANGDONG, industry="I")
    assert cards_on(page)["visits"] < guangdong["figures"]["visits"]

    before = renders(page)
    page.fill("#f-from", "2023-06-01")
    page.dispatch_event("#f-from", "change")
    wait_for_render(page, before + 1)
    assert_page_shows(page, live, token, province=GUANGDONG, industry="I", **{"from": "2023-06-01"})
    assert re.search(r"from=2023-06-01", page.url)


def test_a_shared_address_opens_the_same_view_and_the_token_leaves_the_address(page, live):
    token = live["tokens"]["screen"]
    open_dashboard(page, live, "?province=44&industry=C&metric=visits&order=code", token=token)
    page.wait_for_selector(READY)

    assert "token" not in page.url
    assert page.input_value("#f-province") == GUANGDONG
    assert page.input_value("#f-industry") == "C"
    assert page.input_value("#f-metric") == "visits"
    assert_page_shows(page, live, token, province=GUANGDONG, industry="C")
    assert "只读" in page.text_content("#scope-label")


def test_the_ranked_bars_show_the_apis_leaders(page, live):
    token = live["tokens"]["national"]
    open_dashboard(page, live, "?metric=positions_opened", token=token)
    page.wait_for_selector(READY)

    by_province = api(live, token, "/stats/breakdown", campaign="2023-sprint", by="province")
    expected = {
        group["code"]: group["figures"]["positions_opened"] for group in by_province["groups"]
    }
    drawn = bars(page, "rank-geo")
    assert len(drawn) == 30  # of 34: the page draws the first 30
    assert all(expected[code] == value for code, value in drawn.items())
    assert list(drawn.values()) == sorted(expected.values(), reverse=True)[:30]

    by_industry = api(live, token, "/stats/breakdown", campaign="2023-sprint", by="industry")
    expected = sorted(
        (-group["figures"]["positions_opened"], group["code"])
        for group in by_industry["groups"]
        if group["code"] is not None  # records of no industry are not a bar
    )
    assert list(bars(page, "rank-industry").items()) == [(code, -value) for value, code in expected]
    labels = chart_option(page, "rank-industry")["yAxis"][0]["data"]
    assert labels[0] == "制造业"
    assert "信息传输、软件…" in labels  # 信息传输、软件和信息技术服务业, cut to fit


def lines(page, chart: str) -> list[list[int | None]]:
    return [series["data"] for series in chart_option(page, chart)["series"]]


@pytest.mark.parametrize(("trend", "side"), [("cumulative", "cumulative"), ("daily", "figures")])
def test_the_trends_are_the_apis_series_with_last_year_aligned(page, live, trend, side):
    token = live["tokens"]["national"]
    open_dashboard(page, live, f"?trend={trend}&province=11", token=token)
    page.wait_for_selector(READY)
    series = api(
        live,
        token,
        "/stats/timeseries",
        campaign="2023-sprint",
        province="11",
        interval="day",
        compare="previous",
    )
    for figure in ("visits", "positions_opened", "events", "postings"):
        now, before = lines(page, f"trend-{figure}")
        assert now == [point[side][figure] for point in series["periods"]]
        assert before == [point["previous"][side][figure] for point in series["periods"]]
    assert len(now) == 123  # 2023-05-01 to 2023-08-31, a point a day
    assert sum(now) > 0


def test_a_province_token_sees_its_province_whatever_the_address_asks(page, live):
    token = live["tokens"]["guangdong"]
    open_dashboard(page, live, f"?province={BEIJING}", token=token)
    page.wait_for_selector(READY)

    assert page.is_disabled("#f-province")
    assert page.input_value("#f-province") == GUANGDONG
    assert_page_shows(page, live, token, province=GUANGDONG)
    assert page.text_content("#bulletin").startswith("广东省共有")


def test_a_university_token_sees_its_university(page, live):
    token = live["tokens"]["sysu"]
    open_dashboard(page, live, token=token)
    page.wait_for_selector(READY)

    assert_page_shows(page, live, token, university=SYSU)
    assert page.text_content("#bulletin").startswith("中山大学共有")
    assert page.text_content("#geo-title").startswith("按活动类型")


def test_a_range_that_ends_before_it_starts_is_told_in_chinese(page, live):
    open_dashboard(page, live, "?from=2023-08-01&to=2023-06-01", token=live["tokens"]["screen"])
    page.wait_for_selector("body[data-state=failed]")
    assert "起始日期（2023-08-01）晚于截止日期（2023-06-01）" in page.text_content("#problem")


def test_a_bad_token_asks_to_sign_in(page, live):
    open_dashboard(page, live, token="jf_not-a-token")
    page.wait_for_selector("#sign-in[open]")
    assert "重新登录" in page.text_content("#sign-in-message")


def test_polling_asks_with_the_etag_and_unchanged_figures_cost_a_304(page, live):
    statuses = []
    page.on(
        "response",
        lambda answer: statuses.append(answer.status) if "/stats/summary" in answer.url else None,
    )
    open_dashboard(page, live, "?refresh=5", token=live["tokens"]["screen"])
    page.wait_for_selector(READY)
    page.wait_for_selector('body[data-renders="2"]', timeout=15_000)
    assert statuses[:2] == [200, 304]


def test_the_page_is_written_at_1920_by_1080_and_fits_a_laptop(page, live):
    open_dashboard(page, live, token=live["tokens"]["screen"])
    page.wait_for_selector(READY)
    folder = Path(os.environ.get("DASHBOARD_SCREENSHOT_DIR", "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "dashboard-1920x1080.png"
    page.screenshot(path=shot)
    assert shot.stat().st_size > 50_000
    # On the big screen, everything fits without scrolling.
    assert page.evaluate("document.documentElement.scrollHeight") <= SCREEN["height"]

    page.set_viewport_size(LAPTOP)
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    page.screenshot(path=folder / "dashboard-1366x768.png", full_page=True)


def _with_commas(value: int) -> str:
    return f"{value:,}"


@pytest.mark.parametrize(("token", "province"), [("screen", None), ("guangdong", GUANGDONG)])
def test_the_assistance_panel_shows_the_ledgers_figures_never_a_person(page, live, token, province):
    open_dashboard(page, live, token=live["tokens"][token])
    page.wait_for_selector(READY)
    figures = api(live, live["tokens"][token], "/stats/assistance", cohort=2023, province=province)
    bulletin = api(live, live["tokens"][token], "/stats/assistance/bulletin", cohort=2023)
    assert figures["figures"]["graduates"] > 0  # the demo's ledger
    for key in ("graduates", "placed", "served_to_standard", "trained", "unemployed"):
        shown = page.text_content(f"#assistance [data-figure={key}] b")
        assert shown == _with_commas(figures["figures"][key]), key
    assert page.text_content("#assistance .sentence") == bulletin["text"]
    assert "重点群体帮扶 · 2023届" in page.text_content("#assistance h2")


@pytest.mark.parametrize(("token", "province"), [("screen", None), ("guangdong", GUANGDONG)])
def test_the_policy_panel_shows_each_programmes_fill_and_the_reports_sentence(
    page, live, token, province
):
    open_dashboard(page, live, token=live["tokens"][token])
    page.wait_for_selector(READY)
    asked = {"year": 2023, "as_of": "2023-08-31", "province": province, "by": "program"}
    figures = api(live, live["tokens"][token], "/stats/policy-positions", **asked)
    bulletin = api(
        live, live["tokens"][token], "/reports/bulletin", to="2023-08-31", section="policy"
    )
    assert figures["figures"]["offered"] > 0  # the demo's quotas
    for key in ("offered", "filled", "on_duty"):
        shown = page.text_content(f"#policy [data-figure={key}] b")
        assert shown == _with_commas(figures["figures"][key]), key
    offered = [row for row in figures["rows"] if row["offered"]]
    shown = page.locator("#policy .fill")
    assert shown.count() == len(offered)
    for row in offered:
        fill = page.text_content(f"#policy .fill[data-program={row['key']}] b")
        assert fill == f"{row['fill_rate']}%"
    sentences = [s["text"] for s in bulletin["sentences"] if not s["text"].startswith("其中")]
    assert page.text_content("#policy .sentence") == "".join(sentences)
    assert "政策性岗位 · 2023年" in page.text_content("#policy h2")
    assert "面向毕业生提供" in page.text_content("#policy .sentence")


@pytest.mark.parametrize(("token", "province"), [("screen", None), ("guangdong", GUANGDONG)])
def test_the_matchmaking_panel_shows_the_campaigns_sessions_and_intents(
    page, live, token, province
):
    open_dashboard(page, live, token=live["tokens"][token])
    page.wait_for_selector(READY)
    summer = {"from": "2023-05-01", "to": "2023-08-31"}
    figures = api(
        live, live["tokens"][token], "/stats/matchmaking", **summer, province=province, by="type"
    )
    bulletin = api(
        live, live["tokens"][token], "/reports/bulletin", **summer, section="matchmaking"
    )
    kept = figures["figures"]
    shown = {"sessions": kept["sessions"], "intents": kept["intents"], "landed": kept["landed"],
             "signed": kept["signed"] + kept["landed"]}  # fmt: skip
    for key, value in shown.items():
        assert page.text_content(f"#matchmaking [data-figure={key}] b") == _with_commas(value)
    for row in figures["rows"]:
        assert page.text_content(f"#matchmaking .type[data-type={row['key']}] b") == str(
            row["intents"]
        )
    if province is None:
        assert kept["intents"] == 118  # the demo's
        assert page.text_content("#matchmaking .sentence") == bulletin["sentences"][-1]["text"]
        assert "现场达成近百个合作意向" in page.text_content("#matchmaking .sentence")
    else:
        assert kept["sessions"] == 0  # the demo held none in Guangdong
        assert page.text_content("#matchmaking .sentence") == "暂无校企供需对接数据。"
