"""The kept counts answer exactly what counting the records answers, after any sequence of
writes, for every filter and grouping they serve."""

import datetime as dt
import functools
import random
import threading

import pytest
from alembic import command
from sqlalchemy import func, select

from app.core.migrations import alembic_config
from app.employers.schemas import EmployerCreate, EmployerUpdate
from app.employers.service import create_employer, update_employer
from app.events.schemas import EventCreate, EventUpdate
from app.events.service import create_event, delete_event, update_event
from app.imports import bulk
from app.stats import cells, folding, pending, queries
from app.stats.calendar import MONTHLY
from app.stats.folding import fold_all
from app.stats.models import StatCount, StatFirst
from app.stats.periods import Interval, periods
from app.stats.scope import Scope
from app.stats.service import _counted_series
from app.stats.upkeep import rebuild, settle
from app.universities.schemas import UniversityCreate, UniversityUpdate
from app.universities.service import create_university, update_university
from app.vacancies.models import Vacancy
from app.vacancies.schemas import VacancyCreate, VacancyUpdate
from app.vacancies.service import create_vacancy, delete_vacancy, update_vacancy
from app.visits.schemas import VisitCreate, VisitUpdate
from app.visits.service import create_visit, delete_visit, update_visit
from tests import factories as f

UNIVERSITIES = [
    ("4111010001", "11"),
    ("4111010003", "11"),
    ("4144010558", "44"),
    ("4131010264", "31"),
]
EMPLOYERS = [
    f.make_uscc(500 + n, province)
    for n, province in enumerate(["11", "11", "44", "44", "31", "31"])
]
INDUSTRIES = "CIJ"
PROVINCES = ("11", "44", "31")
DAYS = [dt.date(2023, 5, 1) + dt.timedelta(days=n) for n in range(0, 60, 3)]
SCOPES = [
    Scope(),
    Scope(dt.date(2023, 5, 1), dt.date(2023, 6, 30)),
    Scope(dt.date(2023, 5, 10), dt.date(2023, 5, 31), province="11"),
    Scope(dt.date(2023, 5, 4), dt.date(2023, 6, 20), industry="I"),
    Scope(dt.date(2023, 5, 1), dt.date(2023, 6, 30), university="4111010001"),
    Scope(dt.date(2023, 5, 7), dt.date(2023, 6, 30), university="4144010558", industry="C"),
    Scope(None, dt.date(2023, 5, 25), province="44", industry="J"),
    Scope(dt.date(2023, 5, 1), dt.date(2023, 6, 30), province="44", university="4144010558"),
]
GROUPINGS = [None, "province", "industry", "university", "event_kind", "source", "policy_program"]


def _nonzero(rows: dict) -> dict:
    return {key: row for key, row in rows.items() if any(row.values())}


def assert_counts_agree(session) -> None:
    session.flush()
    for scope in SCOPES:
        for by in GROUPINGS:
            kept = cells.count_figures(session, scope, by)
            if kept is not None:
                assert _nonzero(kept) == _nonzero(queries.count_figures(session, scope, by)), (
                    scope,
                    by,
                )
        if scope.start and scope.end:
            cut = periods(scope.start, scope.end, Interval.WEEK)
            assert cells.series(session, scope, cut) == _counted_series(session, scope, cut), scope


class _Writer:
    """Random writes through the service functions."""

    def __init__(self, session, seed: int):
        self.session, self.rng = session, random.Random(seed)
        self.visits: list[int] = []
        self.events: list[int] = []
        self.vacancies: list[int] = []

    def setup(self) -> None:
        for code, province in UNIVERSITIES:
            create_university(
                self.session, UniversityCreate(code=code, name=f"大学{code}", province=province)
            )
        for n, uscc in enumerate(EMPLOYERS):
            data = EmployerCreate(
                uscc=uscc, name=f"单位{n}", industry=INDUSTRIES[n % 3], province=uscc[2:4]
            )
            create_employer(self.session, data)

    def step(self) -> None:
        action = self.rng.choice(
            [self.new_visit] * 3 + [self.new_event] * 2 + [self.new_vacancy] * 3
            + [self.change_visit, self.change_event, self.change_vacancy, self.remove, self.move]
        )  # fmt: skip
        action()

    def new_visit(self) -> None:
        university, _ = self.rng.choice(UNIVERSITIES)
        data = VisitCreate(
            university_code=university,
            employer_uscc=self.rng.choice(EMPLOYERS),
            visit_date=self.rng.choice(DAYS),
            positions_opened=self.rng.randrange(0, 30),
        )
        self.visits.append(create_visit(self.session, data).id)

    def new_event(self) -> None:
        day = self.rng.choice(DAYS)
        university = self.rng.choice([None, *(code for code, _ in UNIVERSITIES)])
        data = EventCreate(
            title="双选会",
            kind=self.rng.choice(["job_fair", "info_session", "online_fair"]),
            mode="onsite",
            start_date=day,
            end_date=day,
            province=self.rng.choice(PROVINCES),
            university_code=university,
            industry=self.rng.choice([None, *INDUSTRIES]),
            attendance=self.rng.randrange(0, 500),
            participants=self.rng.sample(EMPLOYERS, self.rng.randrange(0, 4)),
        )
        self.events.append(create_event(self.session, data).id)

    def new_vacancy(self) -> None:
        source = self.rng.choice(["platform", "direct", "event"] if self.events else ["direct"])
        data = VacancyCreate(
            employer_uscc=self.rng.choice(EMPLOYERS),
            title="工程师",
            headcount=self.rng.randrange(1, 9),
            posted_date=self.rng.choice(DAYS),
            source=source,
            event_id=self.rng.choice(self.events) if source == "event" else None,
            policy_program=self.rng.choice([None, None, "community", "three_supports"]),
        )
        self.vacancies.append(create_vacancy(self.session, data).id)

    def change_visit(self) -> None:
        if self.visits:
            changes = {
                "visit_date": self.rng.choice(DAYS),
                "employer_uscc": self.rng.choice(EMPLOYERS),
            }
            update_visit(self.session, self.rng.choice(self.visits), VisitUpdate(**changes))

    def change_event(self) -> None:
        if self.events:
            changes = EventUpdate(
                start_date=DAYS[0],
                end_date=DAYS[0],
                province=self.rng.choice(PROVINCES),
                participants=self.rng.sample(EMPLOYERS, self.rng.randrange(0, 4)),
            )
            update_event(self.session, self.rng.choice(self.events), changes)

    def change_vacancy(self) -> None:
        if self.vacancies:
            changes = VacancyUpdate(
                headcount=self.rng.randrange(1, 9), posted_date=self.rng.choice(DAYS)
            )
            update_vacancy(self.session, self.rng.choice(self.vacancies), changes)

    def remove(self) -> None:
        if self.vacancies and self.rng.random() < 0.6:
            delete_vacancy(
                self.session, self.vacancies.pop(self.rng.randrange(len(self.vacancies)))
            )
        elif self.visits and self.rng.random() < 0.5:
            visit_id = self.visits.pop(self.rng.randrange(len(self.visits)))
            delete_visit(self.session, visit_id)
        elif self.events and not self.vacancies:
            delete_event(self.session, self.events.pop())

    def move(self) -> None:
        if self.rng.random() < 0.5:
            uscc = self.rng.choice(EMPLOYERS)
            update_employer(
                self.session, uscc, EmployerUpdate(industry=self.rng.choice(INDUSTRIES))
            )
        else:
            code, _ = self.rng.choice(UNIVERSITIES)
            update_university(
                self.session, code, UniversityUpdate(province=self.rng.choice(PROVINCES))
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_agree_with_the_records_after_random_writes(session, seed):
    writer = _Writer(session, seed)
    writer.setup()
    for step in range(40):
        writer.step()
        if step % 8 == 7:
            assert_counts_agree(session)
    assert_counts_agree(session)


def test_a_recount_gives_the_counts_kept_along_the_way(session):
    writer = _Writer(session, 7)
    writer.setup()
    for _ in range(30):
        writer.step()
    session.flush()
    kept = {scope: cells.count_figures(session, scope) for scope in SCOPES}
    rebuild(session)
    assert {scope: cells.count_figures(session, scope) for scope in SCOPES} == kept


VACANCY_COLUMNS = (
    "employer_uscc", "title", "headcount", "posted_date", "source", "province", "university_code",
    "education", "majors", "policy_program",
)  # fmt: skip


def _bulk_row(n: int) -> tuple:
    university = UNIVERSITIES[n % 4][0] if n % 2 else None
    program = "community" if n % 7 == 0 else None
    day, province = DAYS[n % len(DAYS)], PROVINCES[n % 3]
    return (
        EMPLOYERS[n % 6],
        "工程师",
        1 + n % 5,
        day,
        "platform",
        province,
        university,
        "any",
        [],
        program,
    )


def _bulk_load(session, writer: "_Writer", count: int) -> list[int]:
    before = set(session.scalars(select(Vacancy.id)))
    assert bulk.insert_vacancies(session, VACANCY_COLUMNS, [_bulk_row(n) for n in range(count)])
    loaded = sorted(set(session.scalars(select(Vacancy.id))) - before)
    writer.vacancies += loaded
    return loaded


def _kept_counts(session) -> list[tuple]:
    # Rows a write brought down to zero are left in place; a recount writes none.
    table = StatCount.__table__
    query = select(table).where((table.c.records != 0) | (table.c.total != 0))
    return [tuple(row) for row in session.execute(query.order_by(*table.primary_key))]


def test_vacancies_written_in_bulk_are_counted_at_once_and_kept_by_a_fold(session, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_ROWS", 128)
    writer = _Writer(session, 11)
    writer.setup()
    for _ in range(10):
        writer.new_vacancy()
    counts_before = _kept_counts(session)
    loaded = _bulk_load(session, writer, 500)
    assert len(loaded) == 500
    # The load itself writes no counts: the figures read the pending vacancies from the records.
    assert _kept_counts(session) == counts_before
    assert pending.pending_runs(session) == pending.runs_of(loaded)
    assert_counts_agree(session)
    assert pending.fold(session, max_vacancies=200) == 200  # a batch of 128 and part of one
    assert_counts_agree(session)
    assert pending.fold(session) == 300
    assert pending.pending_runs(session) == []
    assert pending.fold(session) == 0
    assert_counts_agree(session)


@pytest.mark.parametrize("seed", [4, 5])
def test_writes_to_pending_vacancies_and_their_employers_stay_exact(session, monkeypatch, seed):
    monkeypatch.setattr(bulk, "BATCH_ROWS", 64)
    writer = _Writer(session, seed)
    writer.setup()
    _bulk_load(session, writer, 200)
    for step in range(30):
        writer.rng.choice([writer.change_vacancy, writer.remove, writer.move, writer.step])()
        if step == 15:
            pending.fold(session, max_vacancies=50)
        if step % 10 == 9:
            assert_counts_agree(session)
    assert_counts_agree(session)
    while pending.fold(session):
        pass
    assert_counts_agree(session)
    kept = _kept_counts(session)
    rebuild(session)
    assert _kept_counts(session) == kept


def test_fold_all_folds_every_run_each_in_its_own_transaction(session_factory, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH_ROWS", 10)
    monkeypatch.setattr(pending, "fold", functools.partial(pending.fold, max_vacancies=30))
    with session_factory.begin() as session:
        writer = _Writer(session, 3)
        writer.setup()
        _bulk_load(session, writer, 95)
    assert fold_all(session_factory) == 95
    with session_factory() as session:
        assert pending.pending_runs(session) == []
        assert_counts_agree(session)


def test_a_recount_counts_the_pending_vacancies_and_forgets_them(session):
    writer = _Writer(session, 8)
    writer.setup()
    _bulk_load(session, writer, 50)
    rebuild(session)
    assert pending.pending_runs(session) == []
    assert_counts_agree(session)


@pytest.mark.parametrize(
    ("ids", "runs"),
    [([], []), ([5], [(5, 5)]), ([3, 1, 2, 7, 9, 8], [(1, 3), (7, 9)]), ([4, 6], [(4, 4), (6, 6)])],
)
def test_ids_are_kept_as_runs_of_consecutive_ids(ids, runs):
    assert pending.runs_of(ids) == runs


def test_ranges_that_meet_or_overlap_are_merged():
    assert pending.runs_of_ranges([(10, 19), (1, 9), (30, 40), (35, 36)]) == [(1, 19), (30, 40)]


def test_the_background_folder_folds_what_is_pending(session_factory, monkeypatch):
    folded = threading.Event()

    def fold_and_tell(factory):
        if counted := fold_all(factory):
            folded.set()
        return counted

    monkeypatch.setattr(folding, "fold_all", fold_and_tell)
    with session_factory.begin() as session:
        writer = _Writer(session, 9)
        writer.setup()
        _bulk_load(session, writer, 40)
    folder = folding.BackgroundFolder(session_factory, every=0.01)
    folder.start()
    assert folded.wait(timeout=60)
    folder.stop()
    with session_factory() as session:
        assert pending.pending_runs(session) == []
        assert_counts_agree(session)


def test_settling_after_a_recount_leaves_the_counts_as_they_are(engine, session_factory):
    with session_factory.begin() as session:
        writer = _Writer(session, 10)
        writer.setup()
        for _ in range(10):
            writer.new_visit()
        kept = _kept_counts(session)
    settle(engine)
    with session_factory() as session:
        assert _kept_counts(session) == kept


def _firsts_kept(session) -> list[tuple]:
    table = StatFirst.__table__
    query = select(table).where(table.c.entities != 0)
    return [tuple(row) for row in session.execute(query.order_by(*table.primary_key))]


def test_the_migration_to_monthly_counts_writes_the_twins_a_write_would(connection, session):
    writer = _Writer(session, 12)
    writer.setup()
    for _ in range(40):
        writer.step()
    session.flush()
    kept = _kept_counts(session), _firsts_kept(session)
    command.downgrade(alembic_config(connection), "0003")
    monthly = select(func.count()).where(StatCount.level >= MONTHLY)
    assert session.scalar(monthly) == 0
    command.upgrade(alembic_config(connection), "head")
    assert session.scalar(monthly) > 0
    assert (_kept_counts(session), _firsts_kept(session)) == kept
