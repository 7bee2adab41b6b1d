"""Time a ledger import of N vacancies beside raw COPY into the same table, in one run.

    python scripts/bench_import.py --rows 1000000                       # PostgreSQL on 127.0.0.1
    python scripts/bench_import.py --rows 12300000 --fresh              # a fresh database
    python scripts/bench_import.py --rows 100000 --sqlite               # a SQLite file
    python scripts/bench_import.py --rows 12300000 --no-raw --fold --database-url URL

Writes a CSV ledger of N vacancy rows (Chinese headers and labels, as offices send them) for
employers and universities it registers first (not timed). Then, into the vacancies table in the
same state: raw COPY of the same rows (already typed, in a transaction rolled back; executemany
on SQLite), and the import itself, `jobfair import vacancies FILE`, in a process of its own, so
that its peak RSS is its own. Prints rows/s of both, their ratio, and the import's peak RSS.
Into a database with a registry of its own (the national campaign's), the ledger is of its
universities and employers. --fold: then fold the import into the kept figures as the server
does, while a client writes, and print how long until nothing was pending, and the longest
write meanwhile.
"""

import argparse
import csv
import datetime as dt
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from stdnum.cn import uscc as stdnum_uscc

from app.core.db import make_engine, transactional
from app.core.migrations import upgrade_to_head
from app.employers.models import Employer
from app.imports.bulk import insert_rows
from app.reference.data import INDUSTRIES, PROVINCES
from app.stats.folding import fold_all
from app.universities.models import University
from app.vacancies.models import Education, VacancySource
from app.vacancies.schemas import VacancyCreate
from app.vacancies.service import create_vacancy
from app.visits.schemas import VisitCreate
from app.visits.service import create_visit

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HEADER = ["统一社会信用代码", "岗位名称", "招聘人数", "发布日期", "岗位来源", "学校标识码", "学历要求", "专业要求"]  # fmt: skip
COLUMNS = ("employer_uscc", "title", "headcount", "posted_date", "source", "university_code",
           "education", "majors", "province")  # fmt: skip
TITLES = [
    "软件开发工程师",
    "销售代表",
    "管理培训生",
    "会计",
    "机械工程师",
    "教师",
    "护士",
    "数据分析师",
]
MAJORS = ["计算机科学与技术", "软件工程", "会计学", "机械工程", "临床医学", "汉语言文学"]


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    if args.sqlite:
        path = Path.cwd() / "bench-import.db"
        if args.fresh:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = "jobfair_bench_import"
    server = make_engine(SERVER)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if args.fresh:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return make_url(SERVER).set(database=name).render_as_string(hide_password=False)


def uscc(n: int, province: str) -> str:
    first = f"91{province}0100{n:09d}"
    return first + stdnum_uscc.calc_check_digit(first)


def registry(employers: int) -> tuple[list[tuple], list[tuple]]:
    provinces, industries = list(PROVINCES), list(INDUSTRIES)
    universities = [
        (f"4{provinces[n % 31]}{n:07d}", f"大学{n}", provinces[n % 31]) for n in range(2_700)
    ]
    firms = [
        (uscc(n, provinces[n % 31]), f"单位{n}", industries[n % 20], provinces[n % 31])
        for n in range(employers)
    ]
    return universities, firms


def registered(engine, employers: int) -> tuple[list[tuple], list[tuple]] | None:
    """A database's own universities and employers (the national campaign's, say), if it
    has them: the ledger is then of those."""
    with engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(University)) < 2_700:
            return None
        universities = connection.execute(
            select(University.code, University.name, University.province).order_by(University.code)
        ).all()
        firms = connection.execute(
            select(Employer.uscc, Employer.name, Employer.industry, Employer.province)
            .order_by(Employer.uscc)
            .limit(employers)
        ).all()
    return [tuple(row) for row in universities], [tuple(row) for row in firms]


def register(engine, universities: list[tuple], firms: list[tuple]) -> None:
    with engine.begin() as connection:
        upgrade_to_head(connection)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(University)) < len(universities):
            insert_rows(session, University.__table__, ("code", "name", "province"), universities)
            columns = ("uscc", "name", "industry", "province")
            insert_rows(session, Employer.__table__, columns, firms)
            session.commit()


def ledger_rows(count: int, universities: list[tuple], firms: list[tuple], seed: int = 7):
    """Typed rows and their CSV cells, alike: the same ledger both ways."""
    rng = random.Random(seed)
    start = dt.date(2023, 5, 1)
    education = list(Education)
    for n in range(count):
        firm = firms[
            min(int(rng.paretovariate(1.2)) - 1, len(firms) - 1) if n % 3 else n % len(firms)
        ]
        university = universities[n % len(universities)]
        day = start + dt.timedelta(days=n % 123)
        level = education[n % len(education)]
        majors = [MAJORS[n % 6], MAJORS[(n + 1) % 6]]
        typed = (firm[0], TITLES[n % 8], 1 + n % 5, day, VacancySource.PLATFORM.value,
                 university[0], level.value, majors, firm[3])  # fmt: skip
        cells = [firm[0], TITLES[n % 8], 1 + n % 5, day.isoformat(), VacancySource.PLATFORM.label,
                 university[0], level.label, "；".join(majors)]  # fmt: skip
        yield typed, cells


def write_ledger(path: Path, count: int, universities, firms) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(cells for _, cells in ledger_rows(count, universities, firms))


def raw_copy_rate(engine, count: int, universities, firms, folder: Path) -> float:
    """Rows/s of the database's own bulk load of the same rows, rolled back: on PostgreSQL, COPY
    of a file already in COPY's text format (rendered first, not timed); on SQLite, executemany
    of tuples already built (a batch at a time, only the executemany timed)."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            path = folder / "vacancies.copy"
            render_copy_text(path, count, universities, firms)
            elapsed = _timed_copy(connection.connection.driver_connection, path)
        else:
            elapsed = _timed_executemany(connection, count, universities, firms)
        session.rollback()
    if engine.dialect.name == "postgresql":
        # The rolled-back rows stay in the table as dead tuples until vacuumed: without this,
        # the import would load into a table in another state than COPY did.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM vacancies"))
    return count / elapsed


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.translate(_COPY_ESCAPES) if any(c in text for c in "\\\t\n\r") else text


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def render_copy_text(path: Path, count: int, universities, firms) -> None:
    with path.open("w", encoding="utf-8") as file:
        for typed, _ in ledger_rows(count, universities, firms):
            file.write("\t".join(map(_copy_text, typed)) + "\n")


def _timed_copy(driver_connection, path: Path) -> float:
    statement = f"COPY vacancies ({', '.join(COLUMNS)}) FROM STDIN"
    with path.open("rb") as file, driver_connection.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(statement) as copy:
            while chunk := file.read(1024**2):
                copy.write(chunk)
        return time.perf_counter() - started


def _timed_executemany(connection, count: int, universities, firms) -> float:
    sql = f"INSERT INTO vacancies ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    rows = (
        tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in typed)
        for typed, _ in ledger_rows(count, universities, firms)
    )
    elapsed = 0.0
    while batch := list(itertools.islice(rows, 20_000)):
        started = time.perf_counter()
        connection.exec_driver_sql(sql, batch)
        elapsed += time.perf_counter() - started
    return elapsed


def import_ledger(url: str, path: Path) -> tuple[float, float, str]:
    engine = make_engine(url)
    with engine.begin() as connection:  # an earlier run's job would answer for the same file
        connection.execute(text("DELETE FROM import_jobs"))
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "COLUMNS": "120"}
    command = [sys.executable, "-c", _REPORTING_PEAK, "import", "vacancies", str(path)]
    started = time.perf_counter()
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if finished.returncode != 0 or "written" not in finished.stdout:
        print(finished.stdout[-3000:], finished.stderr[-3000:])
        raise SystemExit("the import failed")
    lines = finished.stdout.strip().splitlines()
    peak_kb = int(lines[-1].removeprefix(_PEAK))
    return elapsed, peak_kb / 1024, lines[-2]


# The import's own peak RSS, from /proc (VmHWM: its memory only). getrusage's figure for a child
# is no good here: Linux counts in it the pages the child shared with this process before exec.
_PEAK = "peak RSS kB: "
_REPORTING_PEAK = f"""
import atexit

def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print("{_PEAK}" + peak)

atexit.register(report)
from app.cli import main
main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--employers", type=int, default=None, help="default: rows / 15, at most 790,000"
    )
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--database-url")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw COPY comparison")
    parser.add_argument(
        "--fold", action="store_true", help="then fold, timing it, while a client writes"
    )
    args = parser.parse_args()
    url = database_url(args)
    engine = make_engine(url)
    employers = args.employers or max(100, min(args.rows // 15, 790_000))
    with engine.begin() as connection:
        upgrade_to_head(connection)
    own = registered(engine, employers)
    universities, firms = own or registry(employers)
    if own is None:
        register(engine, universities, firms)
    with engine.connect() as connection:
        present = connection.scalar(text("SELECT count(*) FROM vacancies"))
    print(
        f"database: {make_url(url).render_as_string(hide_password=True)}, {present:,} vacancies there"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vacancies.csv"
        started = time.perf_counter()
        write_ledger(path, args.rows, universities, firms)
        size = path.stat().st_size / 1024**2
        print(
            f"ledger: {args.rows:,} rows, {size:,.0f} MB CSV, written in {time.perf_counter() - started:.0f} s"
        )
        raw = (
            None
            if args.no_raw
            else raw_copy_rate(engine, args.rows, universities, firms, Path(folder))
        )
        engine.dispose()
        elapsed, peak_mb, outcome = import_ledger(url, path)
    rate = args.rows / elapsed
    print(outcome)
    print(f"import (validation, write, figures pending)   {rate:>12,.0f} rows/s   {elapsed:8.1f} s")
    print(f"import peak RSS                                {peak_mb:>12,.0f} MB")
    if raw:
        print(f"raw COPY into the same table (rolled back)      {raw:>12,.0f} rows/s")
        print(f"import rate / raw COPY rate                    {rate / raw:>12.0%}")
    if args.fold:
        fold_while_writing(url, universities, firms)


def fold_while_writing(url: str, universities: list[tuple], firms: list[tuple]) -> None:
    """After the import's commit: fold as the server does, while a client writes a vacancy and
    a visit in turn, each in a transaction of its own; print when nothing was pending any
    more, when the pieces were merged, and the longest write."""
    engine = make_engine(url)
    factory = sessionmaker(engine, expire_on_commit=False)
    done = threading.Event()
    waits: list[float] = []

    def write_meanwhile() -> None:
        for n in itertools.count():
            if done.is_set():
                return
            started = time.perf_counter()
            with transactional(factory, writing=True) as session:
                if n % 2:
                    create_visit(
                        session,
                        VisitCreate(
                            university_code=universities[n % 50][0],
                            employer_uscc=firms[n % 50][0],
                            visit_date=dt.date(2023, 6, 1),
                            positions_opened=1,
                            notes="bench",
                        ),
                    )
                else:
                    create_vacancy(
                        session,
                        VacancyCreate(
                            employer_uscc=firms[n % 50][0],
                            title="bench",
                            headcount=1,
                            posted_date=dt.date(2023, 6, 1),
                            university_code=universities[n % 50][0],
                            source="platform",
                        ),
                    )
            waits.append(time.perf_counter() - started)
            time.sleep(0.2)

    def pending() -> int:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM stat_pending_vacancies"))

    started = time.perf_counter()
    emptied: list[float] = []

    def watch_pending() -> None:
        while not done.is_set() and pending():
            time.sleep(0.5)
        emptied.append(time.perf_counter() - started)

    threads = [threading.Thread(target=write_meanwhile), threading.Thread(target=watch_pending)]
    for thread in threads:
        thread.start()
    counted = fold_all(factory)
    merged = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    print(
        f"fold: {counted:,} vacancies counted, nothing pending after {emptied[0]:8.1f} s "
        f"({counted / max(emptied[0], 1e-9):,.0f} vacancies/s), merged after {merged:.1f} s"
    )
    print(
        f"writes meanwhile: {len(waits)}, longest {max(waits) * 1000:,.0f} ms, "
        f"p50 {statistics.median(waits) * 1000:,.0f} ms"
    )


if __name__ == "__main__":
    main()
