"""Time the figures of the ledgers of graduates in difficulty, and the list of those not yet
served to standard, at national scale, through the API (in process, a national token).

    python scripts/bench_assistance.py --scale 1.0            # PostgreSQL on 127.0.0.1 (default)
    python scripts/bench_assistance.py --scale 0.1 --sqlite   # a SQLite file in the working dir
    python scripts/bench_assistance.py --database-url URL --scale 1.0

The first time, makes its own database (jobfair_bench_assistance_s<scale>, or
bench-assistance-s<scale>.db) with the national registry of universities and the national
ledger at the scale (at 1.0: 600,000 graduates in difficulty of the 2023 cohort, Hunan's
44,000 among them, 540,000 of 2022, about 8.6 million services), and reuses it afterwards.
Then times each request, warm, and prints p50/p95 against the targets (figures <= 50 ms p50,
the list <= 200 ms p50); then the requests computed from the status history (a series, the
follow-up: a few runs each, no target), and the rebuild of the kept figures. `--recount` also
times `jobfair recount`'s part for the ledgers (every graduate's services recounted), and checks
that the figures come out the same."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGETS_MS = {"figures": 50, "list": 200}


def database_url(args: argparse.Namespace) -> str:
    from app.core.db import make_engine

    if args.database_url:
        return args.database_url
    name = f"bench-assistance-s{args.scale:g}".replace(".", "_")
    if args.sqlite:
        return f"sqlite:///{Path.cwd() / (name + '.db')}"
    database = name.replace("-", "_")
    server = make_engine(SERVER)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    server.dispose()
    return make_url(SERVER).set(database=database).render_as_string(hide_password=False)


def prepare(session: Session, scale: float) -> None:
    from app.assistance.models import AssistedGraduate
    from app.assistance.national import generate_ledger
    from app.demo.national import NationalCampaign

    if session.scalar(select(func.count()).select_from(AssistedGraduate)):
        return
    started = time.perf_counter()
    campaign = NationalCampaign(session, scale, progress=print)
    campaign._universities()  # the national campaign's registry of universities, alone
    registry = campaign.registry
    universities = list(zip(registry.university_codes, registry.university_provinces, strict=True))
    generate_ledger(session, universities, scale, progress=print)
    session.commit()
    print(f"generated in {time.perf_counter() - started:.0f} s")


def timed(client: TestClient, path: str, params: dict, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat + 2):
        started = time.perf_counter()
        answer = client.get(path, params=params)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return times[2:]  # the first two warm the caches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--recount", action="store_true", help="also time recount_everything")
    args = parser.parse_args()
    url = database_url(args)
    os.environ["DATABASE_URL"] = url
    # The bench's own key, kept beside its database, so that reruns read what was written.
    key_file = Path.cwd() / f"{make_url(url).database or 'bench'}.personal-data.key".replace(
        "/", "_"
    )
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode())
    os.environ.setdefault("PERSONAL_DATA_KEYS", key_file.read_text().strip())

    from app.auth.schemas import TokenCreate
    from app.auth.service import create_token
    from app.core.db import get_engine
    from app.core.migrations import upgrade_to_head
    from app.main import create_app

    engine = get_engine()
    with engine.begin() as connection:
        upgrade_to_head(connection)
    with Session(engine) as session:
        prepare(session, args.scale)
        session.commit()
    if engine.dialect.name == "postgresql":
        # No transaction open meanwhile, so that every row (a previous run's rolled-back
        # recount too) is settled and counts read off the indexes alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as vacuum:
            vacuum.execute(text("VACUUM ANALYZE"))
    with Session(engine) as session:
        _, token = create_token(session, None, TokenCreate(name="bench", role="national"))
        hunan_university = session.scalar(
            text("SELECT code FROM universities WHERE province = '43' ORDER BY code LIMIT 1")
        )
        session.commit()

    client = TestClient(create_app(background_work=False))
    client.headers["Authorization"] = f"Bearer {token}"
    cases = [
        ("figures", "national", "/api/v1/stats/assistance", {"cohort": 2023}),
        ("figures", "Hunan", "/api/v1/stats/assistance", {"cohort": 2023, "province": "43"}),
        ("figures", "a university", "/api/v1/stats/assistance",
         {"cohort": 2023, "university": hunan_university}),
        ("figures", "by province", "/api/v1/stats/assistance/breakdown",
         {"cohort": 2023, "by": "province"}),
        ("figures", "bulletin, Hunan", "/api/v1/stats/assistance/bulletin",
         {"cohort": 2023, "province": "43"}),
        ("list", "not to standard, national", "/api/v1/assisted-graduates",
         {"cohort": 2023, "standard_met": "false"}),
        ("list", "not to standard, Hunan", "/api/v1/assisted-graduates",
         {"cohort": 2023, "standard_met": "false", "province": "43"}),
        ("list", "not to standard, a university", "/api/v1/assisted-graduates",
         {"cohort": 2023, "standard_met": "false", "university_code": hunan_university}),
    ]  # fmt: skip
    print(f"{engine.dialect.name}, scale {args.scale:g}, {args.repeat} requests each (warm):")
    print(f"{'what':<34}{'p50 ms':>9}{'p95 ms':>9}{'target':>9}")
    failed = False
    for kind, label, path, params in cases:
        times = timed(client, path, params, args.repeat)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        target = TARGETS_MS[kind]
        failed |= p50 > target
        print(f"{kind + ': ' + label:<34}{p50:>9.1f}{p95:>9.1f}{'<= ' + str(target):>9}")
    history = [
        ("series by month, national", "/api/v1/stats/assistance/series", {"cohort": 2023}),
        ("series by month, Hunan", "/api/v1/stats/assistance/series",
         {"cohort": 2023, "province": "43"}),
        ("follow-up, national", "/api/v1/stats/assistance/follow-up", {"cohort": 2023}),
        ("follow-up, Hunan", "/api/v1/stats/assistance/follow-up",
         {"cohort": 2023, "province": "43"}),
    ]  # fmt: skip
    for label, path, params in history:
        times = timed(client, path, params, 3)
        print(f"{'history: ' + label:<34}{statistics.median(times):>9.1f}{max(times):>9.1f}")
    national = client.get("/api/v1/stats/assistance", params={"cohort": 2023}).json()
    print("national 2023:", national["figures"])
    time_recounts(engine, national["figures"], everything=args.recount)
    return 1 if failed else 0


def time_recounts(engine, figures: dict, *, everything: bool) -> None:
    """The kept figures rebuilt (and, `everything`, each graduate's counts first), rolled back
    afterwards; the figures must come out the same."""
    from app.assistance import kept
    from app.assistance.figures import Ledger, summary

    rebuilds = [("kept figures rebuilt (kept.recount)", kept.recount)]
    if everything:
        rebuilds.append(("jobfair recount's part (recount_everything)", kept.recount_everything))
    for label, rebuild in rebuilds:
        with Session(engine) as session:
            started = time.perf_counter()
            rebuild(session)
            elapsed = time.perf_counter() - started
            assert summary(session, Ledger(2023)) == figures, "the recount changed the figures"
            session.rollback()
        print(f"{label}: {elapsed:.1f} s, figures unchanged")


if __name__ == "__main__":
    sys.exit(main())
