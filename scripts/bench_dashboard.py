"""Time the dashboard in Debian's chromium: from navigation until its figures are drawn.

    python scripts/bench_dashboard.py                      # the demo campaign, in a new SQLite file
    python scripts/bench_dashboard.py --database-url URL   # a loaded database, such as the national
                                                           # campaign of `jobfair generate --scale 1.0`

Serves the database (two workers, as `jobfair serve --workers 2`), then opens the page --runs
times, each in a new browser context (an empty cache: a screen just switched on), with a reader
token of national reach, and reads the page's own mark `jobfair-ready`: milliseconds from the
start of navigation until the cards, the bulletin, the trends and the ranked bars are drawn.
Then, in one page, times reloads (the browser's cache warm) and choosing a province (the page's
redraw, from the choice). Prints p50 and max of each. The token is revoked at the end.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.auth import service as auth_service
from app.auth.schemas import TokenCreate
from app.core.db import make_engine
from app.core.migrations import upgrade_to_head
from app.demo.loader import load_demo
from app.vacancies.models import Vacancy
from app.visits.models import Visit
from tests.browser import READY, browser_missing, chromium, served

SCREEN = {"width": 1920, "height": 1080}
PROVINCES = ("44", "32", "11", "33", "37")


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        upgrade_to_head(connection)
    with Session(engine) as session:
        load_demo(session)
        session.commit()
    engine.dispose()
    return url


def reader_token(url: str) -> tuple[int, str, str]:
    engine = make_engine(url)
    with Session(engine) as session:
        token, secret = auth_service.create_token(
            session, None, TokenCreate(name="bench_dashboard", role="reader")
        )
        session.commit()
        token_id = token.id
        size = f"{session.scalar(select(func.count()).select_from(Visit)):,} visits, "
        size += f"{session.scalar(select(func.count()).select_from(Vacancy)):,} vacancies"
    engine.dispose()
    return token_id, secret, size


def revoke(url: str, token_id: int) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        auth_service.revoke_token(session, None, token_id)
        session.commit()
    engine.dispose()


def cold_load_ms(browser, address: str) -> float:
    context = browser.new_context(viewport=SCREEN, locale="zh-CN")
    page = context.new_page()
    page.goto(address)
    page.wait_for_selector(READY, timeout=60_000)
    ready = page.evaluate("performance.getEntriesByName('jobfair-ready')[0].startTime")
    context.close()
    return ready


def reload_ms(page) -> float:
    page.reload()
    page.wait_for_selector(READY, timeout=60_000)
    return page.evaluate("performance.getEntriesByName('jobfair-ready')[0].startTime")


def redraw_ms(page, province: str) -> float:
    before = int(page.get_attribute("body", "data-renders"))
    started = page.evaluate("performance.now()")
    page.select_option("#f-province", province)
    page.wait_for_selector(f'body[data-renders="{before + 1}"][data-state=ready]', timeout=60_000)
    return page.evaluate("performance.now()") - started


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<44} p50 {statistics.median(samples):7.0f} ms   "
        f"max {max(samples):7.0f} ms   ({len(samples)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a loaded database (default: the demo, in SQLite)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot run: {missing}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url = args.database_url or demo_database(folder)
        token_id, secret, size = reader_token(url)
        print(f"database: {Path(url).name if url.startswith('sqlite') else url} ({size})")
        try:
            with served(url, folder, workers=args.workers) as base_url, chromium() as browser:
                address = f"{base_url}/dashboard#token={secret}"
                cold_load_ms(browser, address)  # the service's first answers warm its caches
                report(
                    "page load, empty cache (to figures drawn)",
                    [cold_load_ms(browser, address) for _ in range(args.runs)],
                )
                page = browser.new_context(viewport=SCREEN, locale="zh-CN").new_page()
                page.goto(address)
                page.wait_for_selector(READY, timeout=60_000)
                reloads = [reload_ms(page) for _ in range(args.runs)]
                report("page load, a reload (the browser's cache)", reloads)
                choices = [PROVINCES[run % len(PROVINCES)] for run in range(args.runs)]
                report("redraw after choosing a province", [redraw_ms(page, p) for p in choices])
        finally:
            revoke(url, token_id)


if __name__ == "__main__":
    main()
