"""Load the service as deployed, and print what it serves: req/s, p50 and p99 per route.

    python scripts/bench_load.py --scale 1.0                    # the national campaign (PostgreSQL)
    python scripts/bench_load.py --database-url URL --duration 20
    python scripts/bench_load.py --scale 0.01 --sqlite
    python scripts/bench_load.py --database-url URL --no-access-log   # ACCESS_LOG=false

Starts `jobfair serve --workers 2` on the database (the campaign of bench_stats.py at the scale,
generated there the first time, unless --database-url names one), makes a national API token,
and loads each route in turn with wrk (Debian's package `wrk`): 2 threads, --connections
connections, --duration seconds, after a second of warm-up. The routes: /health; an
authenticated trivial route (/auth/me); the campaign's summary, plain (200) and polled with its
ETag (304); a breakdown by province; a list page (50 visits); a write (POST a visit). The
writes are real: each adds a visit noted "bench_load" to the database.

The service runs with RATE_LIMIT_PER_MINUTE raised (one token makes every request here).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from bench_stats import database_url, prepare
from sqlalchemy import select

from app.demo.national import SLUG
from app.employers.models import Employer
from app.universities.models import University

ROOT = Path(__file__).resolve().parent.parent


def jobfair() -> list[str]:
    script = Path(sys.executable).with_name("jobfair")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


class Served:
    """`jobfair serve --workers 2` on `url`, in a folder of its own."""

    def __init__(self, url: str, port: int, workers: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "RATE_LIMIT_PER_MINUTE": "1000000000",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        }
        self.command = [*jobfair(), "serve", "--port", str(port), "--workers", str(workers)]
        self.process: subprocess.Popen | None = None

    def run(self, *arguments: str) -> str:
        done = subprocess.run(
            [*jobfair(), *arguments], cwd=self.folder, env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"jobfair {arguments[0]} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def __enter__(self) -> "Served":
        log = (self.folder / "serve.log").open("w")
        self.process = subprocess.Popen(
            self.command, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    time.sleep(2)  # both workers up
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        sys.exit(f"the service did not start:\n{(self.folder / 'serve.log').read_text()[-2000:]}")

    def __exit__(self, *_) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(60)
        shutil.rmtree(self.folder, ignore_errors=True)


_POST_SCRIPT = """
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
"""


def wrk(url: str, headers: dict[str, str], args: argparse.Namespace, body: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{args.connections}", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_POST_SCRIPT.format(body=body) if body else "")
    command += ["-s", script.name]
    subprocess.run([*command, "-d1s", url], capture_output=True, check=True)  # warm-up
    printed = subprocess.run(
        [*command, f"-d{args.duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script.name)
    if "Latency Distribution" not in printed:
        sys.exit(f"wrk measured nothing:\n{printed}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", printed).group(1)),
        "p50": _millis(re.search(r"^\s+50%\s+(\S+)", printed, re.MULTILINE).group(1)),
        "p99": _millis(re.search(r"^\s+99%\s+(\S+)", printed, re.MULTILINE).group(1)),
        "bad": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", printed)) else 0,
        "errors": "Socket errors" in printed,
    }  # fmt: skip


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def routes(served: Served, token: str, engine) -> list[tuple[str, str, dict, str | None]]:
    auth = {"Authorization": f"Bearer {token}"}
    summary = f"{served.base}/api/v1/stats/summary?campaign={SLUG}"
    etag = httpx.get(summary, headers=auth, timeout=120).headers["ETag"]
    with engine.connect() as connection:
        university = connection.scalar(select(University.code).limit(1))
        employer = connection.scalar(select(Employer.uscc).limit(1))
    visit = {"university_code": university, "employer_uscc": employer, "visit_date": "2023-06-01",
             "positions_opened": 3, "leader_level": "staff", "notes": "bench_load"}  # fmt: skip
    api = f"{served.base}/api/v1"
    return [
        ("/health", f"{served.base}/health", {}, None),
        ("/auth/me (authenticated, trivial)", f"{api}/auth/me", auth, None),
        ("summary 200 (unchanged)", summary, auth, None),
        ("summary 304 (If-None-Match)", summary, {**auth, "If-None-Match": etag}, None),
        ("breakdown by province", f"{summary.replace('summary', 'breakdown')}&by=province", auth, None),
        ("visits list, 50 a page", f"{api}/visits?limit=50", auth, None),
        ("POST a visit (write)", f"{api}/visits", auth, json.dumps(visit)),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=int, default=10, help="Seconds a route.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-access-log", action="store_true", help="serve with ACCESS_LOG=false")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    url = database_url(args)
    engine = prepare(url, args.scale)
    served = Served(url, args.port, args.workers)
    served.env["ACCESS_LOG"] = "false" if args.no_access_log else "true"
    token = served.run("token", "create", "--role", "national", "--name", "bench_load", "--quiet")
    token = token.strip().splitlines()[-1]
    with served:
        log = "off" if args.no_access_log else "on"
        print(f"{args.workers} workers on {engine.url.render_as_string()}, access log {log}, "
              f"wrk -t2 -c{args.connections} -d{args.duration}s\n")  # fmt: skip
        print(f"{'route':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  non-2xx/3xx")
        for name, url_of_route, headers, body in routes(served, token, engine):
            measured = wrk(url_of_route, headers, args, body)
            print(f"{name:38} {measured['rps']:9.0f} {measured['p50']:8.2f} "
                  f"{measured['p99']:8.2f}  {measured['bad']}{' (socket errors)' if measured['errors'] else ''}")  # fmt: skip


if __name__ == "__main__":
    main()
