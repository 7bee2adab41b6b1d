"""Load the service as deployed, and print what it serves: req/s, p50 and p99 per route.

    python scripts/bench_load.py --scale 1.0                    # the national campaign (PostgreSQL)
    python scripts/bench_load.py --database-url URL --duration 20
    python scripts/bench_load.py --scale 0.01 --sqlite
    python scripts/bench_load.py --database-url URL --no-access-log   # ACCESS_LOG=false
    python scripts/bench_load.py --scale 0.01 --nginx --instances 1 2 --duration 10
    python scripts/bench_load.py --scale 0.01 --nginx --instances 1 2 --redis redis://127.0.0.1:6379/0

Starts `jobfair serve --workers 2` on the database (the campaign of bench_stats.py at the scale,
generated there the first time, unless --database-url names one), makes a national API token,
and loads each route in turn with wrk (Debian's package `wrk`): 2 threads, --connections
connections, --duration seconds, after a second of warm-up. The routes: /health; an
authenticated trivial route (/auth/me); the campaign's summary, plain (200) and polled with its
ETag (304); a breakdown by province; a list page (50 visits); a write (POST a visit, each of
a different university of 200 in turn). The writes are real: each adds a visit noted
"bench_load" to the database.

The service runs with RATE_LIMIT_PER_MINUTE raised (one token makes every request here).

With --nginx, wrk loads Debian's nginx (`nginx-light`), started here with a configuration of
the script's own in a temporary folder (the same as tests/deployed/balancer.py's: keep-alive to
the instances, failover of idempotent requests), in front of each number of instances that
--instances names, one after another (each `jobfair serve --workers N` on --port + 1, + 2, ...,
sharing SECRET_KEY and PERSONAL_DATA_KEYS); the routes are then printed side by side. Beside
each route, the CPU it took, in cores busy over the run (CPU seconds / wall seconds, from
/proc): the instances' processes, nginx's, PostgreSQL's (any `postgres` process of the
machine), wrk's, and the rest of the machine; what limits throughput next is whichever of them
fills the machine's cores.

With --redis URL, every instance counts its rate limits there (RATE_LIMIT_STORAGE_URL) and hears
the epochs of the answers it keeps through it (EPOCHS_BROADCAST_URL), as the deployment of
docs/scale-out.md does; without it, each instance counts in its own memory.
"""

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from bench_stats import database_url, prepare
from cryptography.fernet import Fernet
from sqlalchemy import select

from app.core import nginx
from app.demo.national import SLUG
from app.employers.models import Employer
from app.universities.models import University

ROOT = Path(__file__).resolve().parent.parent
# The write route's visits go round this many universities, each with an employer of its own.
WRITERS = 200


def jobfair() -> list[str]:
    script = Path(sys.executable).with_name("jobfair")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


class Served:
    """`jobfair serve --workers 2` on `url`, in a folder of its own; `shared` settings are
    those every instance must have alike (SECRET_KEY, PERSONAL_DATA_KEYS)."""

    def __init__(self, url: str, port: int, workers: int, shared: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "RATE_LIMIT_PER_MINUTE": "1000000000",
            **shared,
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
        # Else the health check below would be answered by whatever already listens there.
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            sys.exit(
                f"port {self.port} is taken (a service left running?): choose another with --port"
            )
        log = (self.folder / "serve.log").open("w")
        self.process = subprocess.Popen(
            self.command, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    time.sleep(2)  # both workers up
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        started = (self.folder / "serve.log").read_text()[-2000:]
        self.__exit__()
        sys.exit(f"the service did not start:\n{started}")

    def __exit__(self, *_) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(60)
        shutil.rmtree(self.folder, ignore_errors=True)


class Balancer:
    """Debian's nginx on `port`, in front of the instances on `backends`."""

    def __init__(self, port: int, backends: list[int], worker_processes: int) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(binary, os.X_OK):
            sys.exit("nginx is needed for --nginx: apt-get install nginx-light")
        self.folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        config = self.folder / "nginx.conf"
        config.write_text(
            nginx.private(
                self.folder, port, backends, worker_processes=worker_processes, access_log=False
            )
        )
        self.command = [binary, "-p", f"{self.folder}/", "-c", str(config),
                        "-e", str(self.folder / "error.log"), "-g", "daemon off;"]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Balancer":
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            time.sleep(0.05)
        sys.exit(f"nginx did not start:\n{(self.folder / 'error.log').read_text()[-2000:]}")

    def __exit__(self, *_) -> None:
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(30)
        shutil.rmtree(self.folder, ignore_errors=True)


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_now(groups: dict[str, set[int]]) -> dict[str, float]:
    """CPU seconds so far of each process that belongs to a group (`groups`: name to process
    group ids; else `postgres` for any postgres process), keyed "group pid"; and of this
    script's waited children (wrk) and of the whole machine."""
    seconds: dict[str, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        fields = fields.split()
        group = next((name for name, pgids in groups.items() if int(fields[2]) in pgids), None)
        if group is None and comm == "postgres":
            group = "postgres"
        if group is not None:
            seconds[f"{group} {entry.name}"] = (int(fields[11]) + int(fields[12])) / TICKS
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds["wrk"] = children.ru_utime + children.ru_stime
    jiffies = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    seconds["machine"] = (sum(jiffies) - jiffies[3] - jiffies[4]) / TICKS  # less idle, iowait
    return seconds


def cores_busy(before: dict[str, float], after: dict[str, float], wall: float) -> dict[str, float]:
    """Cores busy between the two, by group (a process that ended meanwhile is not counted;
    one that began, all of it), and the rest of the machine."""
    busy = dict.fromkeys(["jobfair", "nginx", "postgres", "wrk", "machine"], 0.0)
    for key, used in after.items():
        busy[key.split()[0]] += (used - before.get(key, 0.0)) / wall
    busy["rest"] = max(0.0, busy.pop("machine") - sum(busy.values()))
    return busy


# Each request the next of the bodies, round the list: writes spread over many universities
# and employers, as a campaign's are (one university's figures are kept per write, at a cost
# that grows with its own records).
_POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
bodies = {{ {bodies} }}
sent = 0
request = function()
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[sent % #bodies + 1])
end
"""


def wrk(
    url: str,
    headers: dict[str, str],
    args: argparse.Namespace,
    body: list[str] | None,
    groups: dict,
) -> dict:
    command = ["wrk", "-t2", f"-c{args.connections}", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            _POST_SCRIPT.format(bodies=", ".join(f"[[{b}]]" for b in body)) if body else ""
        )
    command += ["-s", script.name]
    subprocess.run([*command, "-d1s", url], capture_output=True, check=True)  # warm-up
    before, started = cpu_now(groups), time.monotonic()
    printed = subprocess.run(
        [*command, f"-d{args.duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    cpu = cores_busy(before, cpu_now(groups), time.monotonic() - started)
    os.unlink(script.name)
    if "Latency Distribution" not in printed:
        sys.exit(f"wrk measured nothing:\n{printed}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", printed).group(1)),
        "p50": _millis(re.search(r"^\s+50%\s+(\S+)", printed, re.MULTILINE).group(1)),
        "p99": _millis(re.search(r"^\s+99%\s+(\S+)", printed, re.MULTILINE).group(1)),
        "bad": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", printed)) else 0,
        "errors": "Socket errors" in printed,
        "cpu": cpu,
    }  # fmt: skip


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def routes(base: str, token: str, engine) -> list[tuple[str, str, dict, list[str] | None]]:
    auth = {"Authorization": f"Bearer {token}"}
    summary = f"{base}/api/v1/stats/summary?campaign={SLUG}"
    first = httpx.get(summary, headers=auth, timeout=120)
    if first.status_code != 200:
        sys.exit(f"the summary answered {first.status_code}: {first.text[:2000]}")
    etag = first.headers["ETag"]
    conditional = {**auth, "If-None-Match": etag}
    # every instance must answer the same ETag, or the 304 route measures 200s
    with httpx.Client(headers=conditional, timeout=120) as client:
        statuses = {client.get(summary).status_code for _ in range(6)}
    if statuses != {304}:
        print(f"warning: the summary's ETag was answered {sorted(statuses)}, not only 304\n")
    with engine.connect() as connection:
        universities = connection.scalars(
            select(University.code).order_by(University.code).limit(WRITERS)
        ).all()
        employers = connection.scalars(
            select(Employer.uscc).order_by(Employer.uscc).limit(WRITERS)
        ).all()
    visits = [
        json.dumps({"university_code": university, "employer_uscc": employer, "visit_date": "2023-06-01",
                    "positions_opened": 3, "leader_level": "staff", "notes": "bench_load"})
        for university, employer in zip(universities, employers, strict=False)
    ]  # fmt: skip
    api = f"{base}/api/v1"
    return [
        ("/health", f"{base}/health", {}, None),
        ("/auth/me (authenticated, trivial)", f"{api}/auth/me", auth, None),
        ("summary 200 (unchanged)", summary, auth, None),
        ("summary 304 (If-None-Match)", summary, conditional, None),
        ("breakdown by province", f"{summary.replace('summary', 'breakdown')}&by=province", auth, None),
        ("visits list, 50 a page", f"{api}/visits?limit=50", auth, None),
        ("POST a visit (write)", f"{api}/visits", auth, visits),
    ]  # fmt: skip


def measure(
    args: argparse.Namespace, url: str, engine, token: str, count: int, shared: dict[str, str]
) -> dict[str, dict]:
    """Every route, through nginx in front of `count` instances (or straight to one)."""
    first = args.port + 1 if args.nginx else args.port
    instances = [Served(url, first + n, args.workers, shared) for n in range(count)]
    with contextlib.ExitStack() as stack:
        for instance in instances:
            instance.env["ACCESS_LOG"] = "false" if args.no_access_log else "true"
            stack.enter_context(instance)
        groups = {"jobfair": {instance.process.pid for instance in instances}}
        base = instances[0].base
        if args.nginx:
            ports = [first + n for n in range(count)]
            balancer = stack.enter_context(Balancer(args.port, ports, args.nginx_workers))
            groups["nginx"] = {balancer.process.pid}
            base = balancer.base
        else:
            groups["nginx"] = set()
        measured = {}
        for name, url_of_route, headers, body in routes(base, token, engine):
            measured[name] = wrk(url_of_route, headers, args, body, groups)
            print(f"  {count} instance(s): {name}: {measured[name]['rps']:.0f} req/s", flush=True)
        return measured


def _setup(count: int, nginx: bool) -> str:
    return f"{'nginx + ' if nginx else ''}{count} instance{'s' if count > 1 else ''}"


def report(args: argparse.Namespace, results: dict[int, dict[str, dict]]) -> None:
    counts = list(results)
    names = list(results[counts[0]])
    width = 30
    print("\n" + " " * 38 + "".join(f"{_setup(count, args.nginx):>{width}}" for count in counts))
    print(f"{'route':38}" + f"{'req/s   p50 ms   p99 ms':>{width}}" * len(counts))
    for name in names:
        line = f"{name:38}"
        for count in counts:
            m = results[count][name]
            flag = f" !{m['bad']}" if m["bad"] else (" !sock" if m["errors"] else "")
            shown = f"{m['rps']:.0f} {m['p50']:8.2f} {m['p99']:8.2f}{flag}"
            line += f"{shown:>{width}}"
        print(line)
    cores = os.cpu_count()
    print(f"\nCPU, cores busy during each route (of {cores}): "
          "jobfair / nginx / postgres / wrk / rest of the machine")  # fmt: skip
    print(f"{'route':38}" + "".join(f"{_setup(count, args.nginx):>{width}}" for count in counts))
    for name in names:
        line = f"{name:38}"
        for count in counts:
            cpu = results[count][name]["cpu"]
            shown = " ".join(
                f"{cpu[part]:.2f}" for part in ("jobfair", "nginx", "postgres", "wrk", "rest")
            )
            line += f"{shown:>{width}}"
        print(line)
    print("(! n: non-2xx/3xx answers; !sock: socket errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=int, default=10, help="Seconds a route.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="Workers of each instance.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-access-log", action="store_true", help="serve with ACCESS_LOG=false")
    parser.add_argument("--nginx", action="store_true", help="load nginx in front of the instances")
    parser.add_argument("--nginx-workers", type=int, default=1, help="nginx's worker_processes")
    parser.add_argument(
        "--instances", type=int, nargs="+", default=[1],
        help="numbers of instances to measure, one after another (more than 1 needs --nginx)",
    )  # fmt: skip
    parser.add_argument(
        "--redis", metavar="URL",
        help="the instances' shared limits and epochs (RATE_LIMIT_STORAGE_URL, EPOCHS_BROADCAST_URL)",
    )  # fmt: skip
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    if max(args.instances) > 1 and not args.nginx:
        sys.exit("more than one instance needs a balancer in front: --nginx")
    url = database_url(args)
    engine = prepare(url, args.scale)
    shared = {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(32).hex(),
        "PERSONAL_DATA_KEYS": os.environ.get("PERSONAL_DATA_KEYS")
        or Fernet.generate_key().decode(),
    }
    if args.redis:
        shared |= {"RATE_LIMIT_STORAGE_URL": args.redis, "EPOCHS_BROADCAST_URL": args.redis}
    maker = Served(url, args.port, args.workers, shared)
    token = maker.run("token", "create", "--role", "national", "--name", "bench_load", "--quiet")
    token = token.strip().splitlines()[-1]
    shutil.rmtree(maker.folder, ignore_errors=True)
    log = "off" if args.no_access_log else "on"
    counted = f"limits and epochs in {args.redis}" if args.redis else "limits in memory"
    print(f"{args.workers} workers an instance on {engine.url.render_as_string()}, access log {log}, "
          f"{counted}, "
          f"wrk -t2 -c{args.connections} -d{args.duration}s"
          f"{f', nginx ({args.nginx_workers} worker)' if args.nginx else ''}\n")  # fmt: skip
    results = {count: measure(args, url, engine, token, count, shared) for count in args.instances}
    report(args, results)


if __name__ == "__main__":
    main()
