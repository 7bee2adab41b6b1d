"""The dashboard in a real browser: Debian's chromium driven by Playwright, and the service run as
its own process, as the dashboard's tests and scripts/bench_dashboard.py use them."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags chromium reaches for Google's services at every start,
# which a closed network refuses; as root it needs --no-sandbox.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
READY = "body[data-state=ready]"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not shutil.which(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium fonts-wqy-microhei)"
    return None


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the service stopped at start:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{base_url}/health", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the service did not answer within a minute:\n{log.read_text()}")


@contextmanager
def served(database_url: str, folder: Path, workers: int = 1) -> Iterator[str]:
    """The service on `database_url`, in a process of its own on a free port: its base URL."""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "IMPORT_DIR": str(folder / "imports"),
        "SECRET_KEY_FILE": str(folder / "jobfair.secret"),
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    log = folder / f"serve-{port}.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
