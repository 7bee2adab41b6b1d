"""Chinese search of the policy measures on PostgreSQL, three ways: the register's own (the
bigram GIN index, app/publicity/search.py), pg_trgm's GIN index on the same folded text, and a
plain scan. The demo's measures are copied --copies times into a database of the script's own
(bench_search, made afresh), so that the register is bigger than any province's.

    python scripts/bench_search.py --copies 27

Prints, for each query, how many measures hold it and the median milliseconds of counting
them each way (--repeat runs each).
"""

import argparse
import statistics
import time

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core.db import make_engine
from app.core.migrations import upgrade_to_head
from app.demo.publicity import load_policy_publicity
from app.publicity.models import PolicyMeasure
from app.publicity.search import fold, matches

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE = "bench_search"
QUERIES = ("创业担保", "孵化补贴", "500万元", "恩施", "创业")


def fresh_database(server: str) -> str:
    admin = make_engine(server)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(server).set(database=DATABASE).render_as_string(hide_password=False)


def load(session: Session, copies: int) -> int:
    """The demo's measures, then copies of them (each title marked with its copy)."""
    load_policy_publicity(session)
    columns = [c.name for c in PolicyMeasure.__table__.columns if c.name not in ("id", "title")]
    listed = ", ".join(columns)
    session.execute(
        text(
            f"INSERT INTO policy_measures (title, {listed}) "
            f"SELECT title || '（' || n || '）', {listed} FROM policy_measures "
            "CROSS JOIN generate_series(1, :more) AS n"
        ),
        {"more": copies - 1},
    )
    session.commit()
    session.execute(text("ANALYZE policy_measures"))
    return session.scalar(select(func.count()).select_from(PolicyMeasure))


def median_ms(session: Session, query, repeat: int) -> tuple[float, int]:
    found = session.scalar(query)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        session.scalar(query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), found


def counted(condition):
    return select(func.count()).select_from(PolicyMeasure).where(condition)


def plain_like(q: str):
    escaped = fold(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return PolicyMeasure.search_text.like(f"%{escaped}%", escape="\\")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=SERVER, help="a PostgreSQL server URL")
    parser.add_argument("--copies", type=int, default=27)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    engine = make_engine(fresh_database(args.server))
    with engine.begin() as connection:
        upgrade_to_head(connection)
    with Session(engine) as session:
        rows = load(session, args.copies)
        ours = {
            q: median_ms(session, counted(matches(q, "postgresql")), args.repeat) for q in QUERIES
        }
        session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        session.execute(
            text("CREATE INDEX bench_trgm ON policy_measures USING gin (search_text gin_trgm_ops)")
        )
        session.execute(text("ANALYZE policy_measures"))
        trigrams = {q: median_ms(session, counted(plain_like(q)), args.repeat) for q in QUERIES}
        session.execute(text("SET enable_bitmapscan = off"))
        session.execute(text("SET enable_indexscan = off"))
        scans = {q: median_ms(session, counted(plain_like(q)), args.repeat) for q in QUERIES}
        session.rollback()
    print(f"{rows} measures; median ms of counting the matches, of {args.repeat} runs")
    print(f"{'query (matches)':<20} {'bigram GIN':>11} {'pg_trgm':>9} {'scan':>9}")
    for q in QUERIES:
        found = ours[q][1]
        assert trigrams[q][1] == scans[q][1] == found, q
        print(
            f"{f'{q} ({found:,})':<20} {ours[q][0]:>11.1f} {trigrams[q][0]:>9.1f} {scans[q][0]:>9.1f}"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
