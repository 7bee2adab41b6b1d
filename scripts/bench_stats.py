"""Time the statistics endpoints on the synthetic national campaign, beside the raw-SQL count.

    python scripts/bench_stats.py --scale 0.1                 # PostgreSQL on 127.0.0.1 (default)
    python scripts/bench_stats.py --scale 0.1 --sqlite        # a SQLite file in the working dir
    python scripts/bench_stats.py --database-url URL --scale 1.0

Generates the campaign at the scale into its own database (jobfair_bench_s<scale>, or
bench-s<scale>.db) the first time, and reuses it afterwards. Then, for a fixed set of filter
combinations, times each endpoint's service function (server side, warm) and the raw-SQL count
of the same figures, prints p50/p95 of both, and checks that both answers agree.
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.campaigns.service import find_campaign
from app.core.db import make_engine
from app.core.filters import DateRange
from app.core.migrations import upgrade_to_head
from app.core.pagination import PageParams
from app.demo.campus_matchmaking import generate_campus_sessions
from app.demo.matchmaking import load_matchmaking
from app.demo.national import SEED, SLUG, NationalCampaign, generated
from app.demo.policy import load_policy_positions
from app.demo.publicity import load_policy_publicity
from app.employers.models import Employer
from app.imports.bulk import insert_rows, insert_vacancies, reserve_ids
from app.matchmaking.bulletin import sentences as matchmaking_sentences
from app.matchmaking.figures import MatchScope, match_figures
from app.matchmaking.kept import recount as recount_matchmaking
from app.matchmaking.models import KeyField, MatchmakingSession
from app.matchmaking.schemas import SessionCreate
from app.matchmaking.service import create_session
from app.policy.bulletin import sentences as policy_sentences
from app.policy.figures import PositionsScope, position_figures
from app.publicity.bulletin import sentences as publicity_sentences
from app.publicity.figures import PublicityScope, publicity_figures
from app.publicity.service import list_measures
from app.stats import service
from app.stats.batches import fold_piece, merge
from app.stats.pending import fold
from app.stats.periods import Interval
from app.stats.queries import count_figures
from app.stats.scope import Scope
from app.stats.upkeep import settle
from app.universities.models import University
from app.vacancies.models import Vacancy
from app.visits.models import Visit

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START, END = dt.date(2023, 5, 1), dt.date(2023, 8, 31)


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    name = f"bench-s{args.scale:g}".replace(".", "_")
    if args.sqlite:
        return f"sqlite:///{Path.cwd() / (name + '.db')}"
    server = make_engine(SERVER)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        database = name.replace("-", "_")
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    server.dispose()
    return make_url(SERVER).set(database=database).render_as_string(hide_password=False)


def prepare(url: str, scale: float):
    engine = make_engine(url)
    with engine.begin() as connection:
        upgrade_to_head(connection)
    with Session(engine) as session:
        if not generated(session):
            started = time.perf_counter()
            NationalCampaign(session, scale, progress=lambda line: print("  " + line)).generate()
            session.commit()
            print(f"generated scale {scale} in {time.perf_counter() - started:.0f} s")
    settle(engine)  # after a generation or a migration that wrote counts; quick otherwise
    return engine


def scopes(session) -> dict[str, Scope]:
    busiest = session.scalar(
        select(Visit.university_code)
        .group_by(Visit.university_code)
        .order_by(func.count().desc(), Visit.university_code)
        .limit(1)
    )
    return {
        "national": Scope(START, END),
        "May": Scope(START, dt.date(2023, 5, 31)),
        "province 44": Scope(START, END, province="44"),
        "province 32 + industry I": Scope(START, END, province="32", industry="I"),
        "industry C": Scope(START, END, industry="C"),
        f"university {busiest}": Scope(START, END, university=busiest),
        f"university {busiest} + industry C, June": Scope(
            dt.date(2023, 6, 1), dt.date(2023, 6, 30), university=busiest, industry="C"
        ),
    }


def timed(call: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    call()  # warm
    times, answer = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - started) * 1000)
    return times, answer


def p(times: list[float], q: float) -> float:
    return (
        statistics.quantiles(times, n=100, method="inclusive")[int(q) - 1]
        if len(times) > 1
        else times[0]
    )


def report(label: str, served: list[float], raw: list[float], agree: bool) -> None:
    print(
        f"{label:<58} {p(served, 50):8.1f} {p(served, 95):8.1f}   "
        f"{p(raw, 50):8.1f} {p(raw, 95):8.1f}   {'yes' if agree else 'NO'}"
    )


def bench(session, repeat: int, raw_repeat: int) -> bool:
    all_agree = True
    campaign = find_campaign(session, SLUG)
    for name, scope in scopes(session).items():
        served, answer = timed(lambda s=scope: service.summary(session, s), repeat)
        raw, expected = timed(lambda s=scope: count_figures(session, s)[None], raw_repeat)
        agree = answer["figures"] == expected
        all_agree &= agree
        report(f"summary {name}", served, raw, agree)
    scope = Scope(START, END)
    for by in ("province", "industry", "university", "event_kind", "source", "policy_program"):
        served, answer = timed(lambda b=by: service.breakdown(session, scope, b), repeat)
        raw, expected = timed(lambda b=by: count_figures(session, scope, b), raw_repeat)
        agree = {
            g["code"]: g["figures"] for g in answer["groups"] if g["code"] in expected
        } == expected
        all_agree &= agree
        report(f"breakdown by={by}", served, raw, agree)
    scope = Scope(START, END, province="44")
    for interval in (Interval.DAY, Interval.WEEK, Interval.MONTH):
        served, answer = timed(lambda i=interval: service.timeseries(session, scope, i), repeat)
        last = answer["periods"][-1]["cumulative"]
        raw, expected = timed(lambda: count_figures(session, scope)[None], raw_repeat)
        agree = last == expected
        all_agree &= agree
        report(f"timeseries interval={interval.value} province 44 (cumulative)", served, raw, agree)
    national = Scope(START, END)
    served, answer = timed(
        lambda: service.summary(session, national, campaign, compare=True), repeat
    )
    before = answer["previous"]
    then = national.over(before["from"], before["to"])
    raw, expected = timed(
        lambda: (count_figures(session, national)[None], count_figures(session, then)[None]),
        raw_repeat,
    )
    agree = (answer["figures"], before["figures"]) == expected
    all_agree &= agree
    report("summary compare=previous", served, raw, agree)
    return all_agree


# Each 2023 quota's latest count of people admitted by the day, asked another way.
_POLICY_RAW = text(
    "SELECT (SELECT sum(positions) FROM policy_quotas WHERE year = 2023), "
    "(SELECT coalesce(sum(p.people), 0) FROM policy_recruitment_progress p "
    "JOIN policy_quotas q ON q.id = p.quota_id WHERE q.year = 2023 AND p.stage = 'admitted' "
    "AND p.as_of = (SELECT max(l.as_of) FROM policy_recruitment_progress l "
    "WHERE l.quota_id = p.quota_id AND l.stage = 'admitted' AND l.as_of <= :day))"
)


def bench_policy(session, repeat: int) -> bool:
    """Policy positions (a few hundred quotas at any scale; added to a campaign generated
    before they were): offered and filled, in all, by programme and by province, and the
    bulletin's paragraph, beside the raw count."""
    if load_policy_positions(session):
        session.commit()
    scope, all_agree = PositionsScope(2023, END), True
    raw, expected = timed(lambda: tuple(session.execute(_POLICY_RAW, {"day": END}).one()), repeat)
    for by in (None, "program", "province"):
        served, answer = timed(lambda b=by: position_figures(session, scope, b), repeat)
        kept = answer["figures"]
        rows = answer["rows"] or [kept]
        agree = (
            (kept["offered"], kept["filled"])
            == expected
            == (
                sum(row["offered"] for row in rows),
                sum(row["filled"] for row in rows),
            )
        )
        all_agree &= agree
        report(f"policy positions by={by}", served, raw, agree)
    served, answer = timed(lambda: policy_sentences(session, None, END), repeat)
    agree = answer[0]["figures"]["offered"] == expected[0]
    all_agree &= agree
    report("bulletin section=policy (national)", served, raw, agree)
    return all_agree


# Measures in force over the campaign, sessions held in it, and their audience, asked another way.
_PUBLICITY_RAW = text(
    "SELECT (SELECT count(*) FROM policy_measures WHERE published_on <= :day "
    "AND (effective_to IS NULL OR effective_to >= :start)), "
    "(SELECT count(*) FROM publicity_sessions WHERE held_on BETWEEN :start AND :day), "
    "(SELECT coalesce(sum(audience), 0) FROM publicity_sessions "
    "WHERE held_on BETWEEN :start AND :day)"
)
_SEARCH_RAW = text("SELECT count(*) FROM policy_measures WHERE search_text LIKE :pattern")


def bench_publicity(session, repeat: int) -> bool:
    """Policy publicity (the same few thousand rows at any scale; added to a campaign
    generated before they were): the figures in all and by level, province and category, the
    bulletin's sentences, and a page of a Chinese search, beside the raw count."""
    if load_policy_publicity(session)["policy_measures"]:
        session.commit()
    scope, all_agree = PublicityScope(START, END), True
    asked = {"start": START, "day": END}
    raw, expected = timed(lambda: tuple(session.execute(_PUBLICITY_RAW, asked).one()), repeat)
    for by in (None, "level", "province", "category"):
        served, answer = timed(lambda b=by: publicity_figures(session, scope, b), repeat)
        kept = answer["figures"]
        agree = (kept["measures"], kept["sessions"], kept["audience"]) == expected
        if by is not None:
            agree &= sum(row["measures"] for row in answer["rows"]) == kept["measures"]
        all_agree &= agree
        report(f"policy publicity by={by}", served, raw, agree)
    served, answer = timed(lambda: publicity_sentences(session, None, START, END), repeat)
    agree = answer[0]["figures"]["sessions"] == expected[1]
    all_agree &= agree
    report("bulletin section=policy, publicity (national)", served, raw, agree)
    page = PageParams(limit=50, offset=0)
    for q in ("创业担保", "创业"):
        pattern = {"pattern": f"%{q}%"}
        raw, found = timed(lambda p=pattern: session.scalar(_SEARCH_RAW, p), repeat)
        served, answer = timed(
            lambda q=q: list_measures(session, page, dates=DateRange(), q=q), repeat
        )
        agree = answer["total"] == found
        all_agree &= agree
        report(f"policy-measures?q={q} (a page of 50, and the total)", served, raw, agree)
    return all_agree


# The campaign's sessions, the intents reached there and those landed by the day, asked
# another way.
_MATCHMAKING_RAW = text(
    "SELECT (SELECT count(*) FROM matchmaking_sessions WHERE held_on BETWEEN :start AND :day), "
    "(SELECT count(DISTINCT u.university_code) FROM matchmaking_universities u "
    "JOIN matchmaking_sessions s ON s.id = u.session_id WHERE s.held_on BETWEEN :start AND :day), "
    "(SELECT count(DISTINCT e.employer_uscc) FROM matchmaking_employers e "
    "JOIN matchmaking_sessions s ON s.id = e.session_id WHERE s.held_on BETWEEN :start AND :day), "
    "(SELECT count(*) FROM cooperation_intents i JOIN matchmaking_sessions s "
    "ON s.id = i.session_id WHERE s.held_on BETWEEN :start AND :day), "
    "(SELECT count(*) FROM cooperation_intent_steps t JOIN cooperation_intents i "
    "ON i.id = t.intent_id JOIN matchmaking_sessions s ON s.id = i.session_id "
    "WHERE t.status = 'landed' AND t.as_of <= :day AND s.held_on BETWEEN :start AND :day)"
)


def _matchmaking_loaded(session, scale: float) -> None:
    """A campaign generated before matchmaking existed gets it as `generate` now writes it."""
    if session.scalar(select(func.count()).select_from(MatchmakingSession)):
        return
    load_matchmaking(session)
    universities = session.execute(select(University.code, University.province)).all()
    employers = session.execute(select(Employer.uscc, Employer.province)).all()
    generate_campus_sessions(session, random.Random(SEED), universities, employers, scale)
    recount_matchmaking(session)
    session.commit()


def bench_matchmaking(session, repeat: int, scale: float) -> bool:
    """Matchmaking over the campaign: sessions, who took part and the intents by their step,
    in all and by type, field and province, and the bulletin's paragraph, beside the raw
    count."""
    _matchmaking_loaded(session, scale)
    scope, all_agree = MatchScope(DateRange(start=START, end=END), END), True
    asked = {"start": START, "day": END}
    raw, expected = timed(lambda: tuple(session.execute(_MATCHMAKING_RAW, asked).one()), repeat)
    for by in (None, "type", "field", "province"):
        served, answer = timed(lambda b=by: match_figures(session, scope, b), repeat)
        kept = answer["figures"]
        figures = ("sessions", "universities", "employers", "intents", "landed")
        agree = tuple(kept[name] for name in figures) == expected
        if by in ("type", "province"):
            agree &= sum(row["intents"] for row in answer["rows"]) == kept["intents"]
        all_agree &= agree
        report(f"matchmaking by={by}", served, raw, agree)
    served, answer = timed(lambda: matchmaking_sentences(session, scope), repeat)
    agree = answer[0]["figures"]["intents"] == expected[3]
    all_agree &= agree
    report("bulletin section=matchmaking (national)", served, raw, agree)
    written, _ = timed(lambda: _write_a_session(session), repeat)
    print(f"{'write: a session of 25 universities, 35 employers (kept)':<58} "
          f"{p(written, 50):8.1f} {p(written, 95):8.1f}")  # fmt: skip
    return all_agree


def _write_a_session(session) -> None:
    """The Ministry's meeting written through the service, its figures kept; rolled back."""
    universities = session.scalars(select(University.code).limit(25)).all()
    employers = session.scalars(select(Employer.uscc).limit(35)).all()
    fields = session.scalars(select(KeyField.code)).all()
    taking_part = [
        {"uscc": uscc, "field": fields[n % len(fields)]} for n, uscc in enumerate(employers)
    ]
    data = SessionCreate(
        title="重点领域人才校企供需对接会", format="supply_demand", held_on=dt.date(2023, 6, 28),
        organiser="教育部", universities=universities, employers=taking_part,
    )  # fmt: skip
    savepoint = session.begin_nested()
    create_session(session, data, None)
    savepoint.rollback()


WRITE_COLUMNS = (
    "employer_uscc", "title", "headcount", "posted_date", "source", "event_id", "visit_id",
    "province", "university_code", "education", "majors", "policy_program",
)  # fmt: skip


def _plain_insert(session, rows) -> None:
    ids = reserve_ids(session, Vacancy.__table__, len(rows))
    numbered = ((number, *row) for number, row in zip(ids, rows, strict=True))
    insert_rows(session, Vacancy.__table__, ("id", *WRITE_COLUMNS), numbered)


def _load_then_fold(session, rows) -> tuple[float, float]:
    """Load with figures current, then fold (as the server does: on PostgreSQL in pieces, then
    merged): answer the fold's time, and the merge's."""
    insert_vacancies(session, WRITE_COLUMNS, rows)
    session.flush()
    postgresql = session.connection().dialect.name == "postgresql"
    started = time.perf_counter()
    while fold_piece(session) if postgresql else fold(session):
        pass
    folded = time.perf_counter()
    while merge(session):
        pass
    return folded - started, time.perf_counter() - folded


def write_cost(session, count: int) -> None:
    """Bulk-loading vacancies into the live table, with and without keeping the figures current,
    side by side (each load rolled back); then the fold that counts them later, off the write
    path."""
    columns = [getattr(Vacancy, name) for name in WRITE_COLUMNS]
    rows = [tuple(row) for row in session.execute(select(*columns).limit(count)).all()]
    loads = {
        "bulk load, figures not kept": lambda: _plain_insert(session, rows),
        "bulk load, figures current (insert_vacancies)": lambda: insert_vacancies(
            session, WRITE_COLUMNS, rows
        ),
    }
    best: dict[str, float] = {}
    for _ in range(3):
        for label, load in loads.items():
            savepoint = session.begin_nested()
            started = time.perf_counter()
            load()
            session.flush()
            elapsed = time.perf_counter() - started
            savepoint.rollback()
            best[label] = min(best.get(label, elapsed), elapsed)
    savepoint = session.begin_nested()
    insert_vacancies(session, WRITE_COLUMNS, rows)
    national = Scope(START, END)
    pending_reads, _ = timed(lambda: service.summary(session, national), 5)
    savepoint.rollback()
    savepoint = session.begin_nested()
    folding, merging = _load_then_fold(session, rows)
    savepoint.rollback()
    for label, elapsed in best.items():
        print(f"{label:<58} {len(rows) / elapsed:10.0f} rows/s")
    without, kept = best.values()
    print(f"{'rate with figures current / rate without':<58} {without / kept:10.0%}")
    fold_label = "fold into the kept counts (background, after commit)"
    print(f"{fold_label:<58} {len(rows) / folding:10.0f} rows/s")
    print(f"{'then the merge of its batches (figures unchanged)':<58} {merging:10.1f} s")
    print(f"{'summary national while they are pending, p50':<58} {p(pending_reads, 50):10.1f} ms")


PARTS = ("campaign", "policy", "publicity", "matchmaking", "writes")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--database-url", help="any database (the campaign is generated into it)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--raw-repeat", type=int, help="repeats of the raw count (default --repeat)"
    )
    parser.add_argument("--write-rows", type=int, default=100_000, help="rows of the write test")
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="time these parts alone (repeatable; default: all of them)",
    )
    args = parser.parse_args()
    url = database_url(args)
    engine = prepare(url, args.scale)
    print(f"database: {make_url(url).render_as_string(hide_password=True)}, scale {args.scale:g}")
    parts = args.only or PARTS
    print(
        f"{'endpoint / filters':<58} {'p50 ms':>8} {'p95 ms':>8}   {'raw p50':>8} {'raw p95':>8}   agree"
    )
    agreed = True
    with Session(engine) as session:
        if "campaign" in parts:
            agreed &= bench(session, args.repeat, args.raw_repeat or args.repeat)
        if "policy" in parts:
            agreed &= bench_policy(session, args.repeat)
        if "publicity" in parts:
            agreed &= bench_publicity(session, args.repeat)
        if "matchmaking" in parts:
            agreed &= bench_matchmaking(session, args.repeat, args.scale)
        if "writes" in parts:
            write_cost(session, args.write_rows)
    print("all answers agree with the raw-SQL count" if agreed else "SOME ANSWERS DISAGREE")
    sys.exit(0 if agreed else 1)


if __name__ == "__main__":
    main()
