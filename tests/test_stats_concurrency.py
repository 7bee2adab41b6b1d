"""Writes side by side keep the figures exact (app/stats/locks.py; on SQLite, a transaction
that writes takes the write lock as it begins: app.core.db.begin_writing).

Each race opens a first write and keeps its transaction open while a second write, in another
thread and transaction, starts on the same university, employer or record; then the first
commits and the second finishes. The kept counts must then equal a recount of the records.
"""

import datetime as dt
import random
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.settings import get_settings
from app.employers.schemas import EmployerCreate, EmployerUpdate
from app.employers.service import create_employer, update_employer
from app.events.schemas import EventCreate, EventUpdate
from app.events.service import create_event, update_event
from app.imports.bulk import insert_vacancies
from app.stats import locks, rebuilding, upkeep
from app.stats.batches import ChangedMeanwhile, fold_piece, merge, split
from app.stats.folding import fold_all
from app.stats.models import PendingVacancies, StatCount, StatFirst
from app.stats.pending import fold
from app.stats.upkeep import rebuild
from app.universities.schemas import UniversityCreate, UniversityUpdate
from app.universities.service import create_university, update_university
from app.vacancies.models import Vacancy
from app.vacancies.schemas import VacancyCreate, VacancyUpdate
from app.vacancies.service import create_vacancy, delete_vacancy, update_vacancy
from app.visits.models import Visit
from app.visits.schemas import VisitCreate, VisitUpdate
from app.visits.service import create_visit, update_visit
from tests import factories as f
from tests import races
from tests.races import Write, writing

PKU, SYSU = "4111010001", "4144010558"
FIRST, SECOND = f.make_uscc(901, "11"), f.make_uscc(902, "44")
MAY = dt.date(2023, 5, 1)


@pytest.fixture
def factory(committed: sessionmaker[Session]) -> sessionmaker[Session]:
    with writing(committed) as session:
        for code, province in ((PKU, "11"), (SYSU, "44")):
            create_university(session, UniversityCreate(code=code, name=code, province=province))
        for uscc in (FIRST, SECOND):
            create_employer(session, EmployerCreate(**f.employer(uscc, uscc[2:4], "I")))
    return committed


def race(factory: sessionmaker[Session], first: Write, second: Write) -> bool:
    """Run `second` while `first` holds its transaction open (neither may fail); answer
    whether `second` had to wait for `first` to commit."""
    waited, raised = races.race(factory, first, second)
    assert raised is None, raised
    return waited


def _kept(session: Session) -> set[tuple]:
    counts = session.execute(select(StatCount).where(StatCount.records != 0)).scalars()
    firsts = session.execute(select(StatFirst).where(StatFirst.entities != 0)).scalars()
    return {
        *((c.fact, c.level, c.slice, c.industry, c.province, c.university, c.day, c.records,
           c.total) for c in counts),
        *((s.figure, s.level, s.slice, s.industry, s.province, s.university, s.day, s.prev_day,
           s.entities) for s in firsts),
    }  # fmt: skip


def assert_kept_equals_recount(factory: sessionmaker[Session]) -> None:
    fold_all(factory)
    with factory() as session:
        kept = _kept(session)
        rebuild(session)
        recounted = _kept(session)
        session.rollback()
    assert kept, "the race wrote nothing"
    assert kept == recounted


def _visit(university: str, employer: str, day: int) -> Write:
    data = VisitCreate(
        university_code=university,
        employer_uscc=employer,
        visit_date=MAY + dt.timedelta(days=day),
        positions_opened=10,
    )
    return lambda session: create_visit(session, data)


def _created(factory, write: Write) -> int:
    with writing(factory) as session:
        return write(session).id


def test_two_first_visits_to_an_employer_count_it_once(factory):
    waited = race(factory, _visit(PKU, FIRST, 3), _visit(PKU, FIRST, 1))
    assert waited
    assert_kept_equals_recount(factory)


def test_two_changes_to_one_visit_are_counted_one_after_the_other(factory):
    visit_id = _created(factory, _visit(PKU, FIRST, 3))
    race(
        factory,
        lambda s: update_visit(s, visit_id, VisitUpdate(visit_date=MAY, employer_uscc=SECOND)),
        lambda s: update_visit(s, visit_id, VisitUpdate(visit_date=MAY + dt.timedelta(days=9))),
    )
    assert_kept_equals_recount(factory)


def test_two_changes_to_one_vacancy_are_counted_one_after_the_other(factory):
    data = VacancyCreate(**f.vacancy(FIRST, headcount=5))
    vacancy_id = _created(factory, lambda s: create_vacancy(s, data))
    waited = race(
        factory,
        lambda s: update_vacancy(s, vacancy_id, VacancyUpdate(headcount=7, province="44")),
        lambda s: update_vacancy(s, vacancy_id, VacancyUpdate(headcount=9)),
    )
    assert waited
    assert_kept_equals_recount(factory)


def test_two_changes_to_one_event_are_counted_one_after_the_other(factory):
    data = EventCreate(**f.event(attendance=100, participants=[FIRST]))
    event_id = _created(factory, lambda s: create_event(s, data))
    race(
        factory,
        lambda s: update_event(s, event_id, EventUpdate(attendance=50, participants=[SECOND])),
        lambda s: update_event(s, event_id, EventUpdate(province="44", participants=[FIRST])),
    )
    assert_kept_equals_recount(factory)


def test_an_employer_changing_industry_while_it_is_visited(factory):
    _created(factory, _visit(SYSU, FIRST, 5))
    change = EmployerUpdate(industry="C")
    race(factory, _visit(PKU, FIRST, 2), lambda s: update_employer(s, FIRST, change))
    race(factory, lambda s: update_employer(s, FIRST, EmployerUpdate(industry="J")),
         _visit(SYSU, FIRST, 1))  # fmt: skip
    assert_kept_equals_recount(factory)


def test_a_university_changing_province_while_it_visits(factory):
    _created(factory, _visit(PKU, SECOND, 5))
    to_shanghai = UniversityUpdate(province="31")
    race(factory, _visit(PKU, FIRST, 2), lambda s: update_university(s, PKU, to_shanghai))
    race(factory, lambda s: update_university(s, PKU, UniversityUpdate(province="44")),
         _visit(PKU, SECOND, 1))  # fmt: skip
    assert_kept_equals_recount(factory)


def _bulk_load(count: int) -> Write:
    columns = ("employer_uscc", "title", "headcount", "posted_date", "source", "province",
               "education", "majors")  # fmt: skip
    rows = [(FIRST, "工程师", 1 + n % 3, MAY + dt.timedelta(days=n % 20), "platform", "11",
             "any", []) for n in range(count)]  # fmt: skip
    return lambda session: insert_vacancies(session, columns, rows)


def test_a_bulk_load_and_an_employer_changing_industry(factory):
    to_construction = EmployerUpdate(industry="E")
    assert race(factory, _bulk_load(300), lambda s: update_employer(s, FIRST, to_construction))
    assert_kept_equals_recount(factory)


def test_a_fold_and_changes_to_the_vacancies_it_counts(factory):
    with writing(factory) as session:
        _bulk_load(40)(session)
    with factory() as session:
        loaded = session.scalars(select(Vacancy.id).order_by(Vacancy.id)).all()
    change = VacancyUpdate(headcount=20, posted_date=MAY)
    assert race(factory, fold, lambda s: update_vacancy(s, loaded[5], change))
    assert race(factory, lambda s: update_vacancy(s, loaded[30], change), fold)
    assert race(factory, lambda s: fold(s, max_vacancies=3), lambda s: delete_vacancy(s, loaded[1]))
    assert_kept_equals_recount(factory)


def _loaded_for_pieces(factory, count: int) -> list[int]:
    """`count` vacancies bulk-loaded (pending), their ids; pieces are PostgreSQL's."""
    with factory() as session:
        if session.connection().dialect.name != "postgresql":
            pytest.skip("SQLite, the one writer, folds a step at a time as the writer")
    with writing(factory) as session:
        _bulk_load(count)(session)
    with factory() as session:
        return session.scalars(select(Vacancy.id).order_by(Vacancy.id)).all()


def _written_meanwhile(factory, write: Write) -> bool:
    """Whether `write`, in a transaction of its own, commits within a few seconds."""
    thread = threading.Thread(target=lambda: _created(factory, write))
    thread.start()
    thread.join(5)
    return not thread.is_alive()


def test_a_piece_is_counted_beside_the_writes_and_merged_exactly(factory, monkeypatch):
    loaded = _loaded_for_pieces(factory, 500)
    counting, meanwhile = upkeep.insert_batch, []

    def counted_while_others_write(session, vacancies, batch):
        counting(session, vacancies, batch)
        # While a piece is counted, no write waits: a visit, a vacancy still pending.
        meanwhile.append(_written_meanwhile(factory, _visit(PKU, FIRST, 2)))
        change = VacancyUpdate(headcount=7)
        meanwhile.append(
            _written_meanwhile(factory, lambda s: update_vacancy(s, loaded[450], change))
        )

    monkeypatch.setattr(upkeep, "insert_batch", counted_while_others_write)
    for size in (200, 100):
        with writing(factory) as session:
            split(session, size)
        with writing(factory) as session:
            assert fold_piece(session, size) == size
    assert meanwhile == [True] * 4
    with factory() as session:
        batches = select(func.count(func.distinct(StatCount.batch))).where(StatCount.batch != 0)
        assert session.scalar(batches) == 2
        still = session.execute(select(PendingVacancies.first_id, PendingVacancies.last_id)).all()
        assert still == [(loaded[300], loaded[499])]
    with writing(factory) as session:
        assert merge(session, max_rows=7) == 7  # part of a batch: the figures are the same
    assert_kept_equals_recount(factory)


def test_a_piece_whose_vacancies_a_write_changed_meanwhile_is_taken_again(factory, monkeypatch):
    loaded = _loaded_for_pieces(factory, 300)
    counting = upkeep.insert_batch

    def counted_then_changed(session, vacancies, batch):
        counting(session, vacancies, batch)
        if not changed:  # the first piece only: a write commits after the piece was counted
            with writing(factory) as other:
                update_vacancy(other, loaded[17], VacancyUpdate(headcount=30, posted_date=MAY))
            changed.append(True)

    changed: list[bool] = []
    monkeypatch.setattr(upkeep, "insert_batch", counted_then_changed)
    with pytest.raises(ChangedMeanwhile), writing(factory) as session:
        fold_piece(session)
    assert fold_all(factory) == 300  # taken again, smaller
    assert_kept_equals_recount(factory)


def test_one_process_folds_at_a_time(factory):
    """Two folding at once would count the same piece twice; the second leaves it to the first."""
    _loaded_for_pieces(factory, 50)
    with factory.kw["bind"].connect() as other_folder:
        other_folder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": locks.FOLDER})
        assert fold_all(factory) == 0
        other_folder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": locks.FOLDER})
    assert fold_all(factory) == 50
    assert_kept_equals_recount(factory)


def test_many_writers_at_once_neither_deadlock_nor_drift(factory):
    def writer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(12):
            university, employer = rng.choice((PKU, SYSU)), rng.choice((FIRST, SECOND))
            with writing(factory) as session:
                visit = _visit(university, employer, rng.randrange(40))(session)
                if rng.random() < 0.5:
                    change = VisitUpdate(visit_date=MAY + dt.timedelta(days=rng.randrange(40)))
                    update_visit(session, visit.id, change)
                data = f.vacancy(
                    employer, headcount=rng.randrange(1, 9), university_code=university
                )
                create_vacancy(session, VacancyCreate(**data))

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 36
    assert_kept_equals_recount(factory)


def _recounting_on_postgresql(factory, monkeypatch, wait: str, attempts: int = 60) -> None:
    """A visit to recount, on PostgreSQL; the swap's tries `wait` long, 0.2 s apart."""
    with factory() as session:
        if session.connection().dialect.name != "postgresql":
            pytest.skip("SQLite recounts into its own tables, as the one writer")
    _created(factory, _visit(PKU, FIRST, 1))
    monkeypatch.setattr(rebuilding, "SWAP_WAIT", wait)
    monkeypatch.setattr(rebuilding, "SWAP_PAUSE_SECONDS", 0.2)
    monkeypatch.setattr(rebuilding, "SWAP_ATTEMPTS", attempts)


def _structure(session: Session) -> set[tuple]:
    """The kept tables' indexes and constraints, as PostgreSQL defines them."""
    indexes = session.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'stat\\_%'")
    )
    constraints = session.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid IN ('stat_counts'::regclass, 'stat_firsts'::regclass)"
        )
    )
    return {tuple(row) for row in (*indexes, *constraints)}


def test_a_recount_is_read_as_the_old_figures_until_it_swaps_in_the_new(factory, monkeypatch):
    """PostgreSQL recounts into tables aside (app/stats/rebuilding.py): while it counts, others
    read the old figures without waiting; once committed, the recount's, in tables that are
    the migrations' own."""
    _recounting_on_postgresql(factory, monkeypatch, wait="2s")
    with factory() as session:
        structure, before = _structure(session), _kept(session)
    read_meanwhile: list[set] = []
    counting = upkeep._firsts

    def read():
        with factory() as other:
            read_meanwhile.append(_kept(other))

    def counted_while_others_read(*args):
        if not read_meanwhile:
            reader = threading.Thread(target=read)
            reader.start()
            reader.join(5)
        return counting(*args)

    with writing(factory) as session:
        session.execute(text("UPDATE visits SET positions_opened = 99"))  # around the figures
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(upkeep, "_firsts", counted_while_others_read)
            rebuild(session)
    assert read_meanwhile == [before]
    with factory() as session:
        assert _structure(session) == structure
        assert session.scalar(text("SELECT to_regnamespace('jobfair_recount')")) is None
        visits = select(StatCount.total).where(StatCount.fact == "visit", StatCount.level == 0)
        assert set(session.scalars(visits)) == {99}
    assert_kept_equals_recount(factory)


def test_a_recount_waits_for_a_reader_to_finish_without_holding_the_others(factory, monkeypatch):
    _recounting_on_postgresql(factory, monkeypatch, wait="200ms")
    slow_reader = factory()
    slow_reader.execute(select(func.count()).select_from(StatCount))  # its transaction stays open
    recount = threading.Thread(target=lambda: _rebuilt(factory))
    recount.start()
    time.sleep(1.0)  # the recount meanwhile tries to swap, and lets others read in between
    with factory() as other:
        started = time.monotonic()
        other.execute(select(func.count()).select_from(StatCount))
        assert time.monotonic() - started < 1.0
    assert recount.is_alive()
    slow_reader.close()
    recount.join(10)
    assert not recount.is_alive()
    assert_kept_equals_recount(factory)


def test_a_recount_gives_up_on_a_transaction_left_open_and_changes_nothing(factory, monkeypatch):
    _recounting_on_postgresql(factory, monkeypatch, wait="100ms", attempts=3)
    with factory() as left_open:
        left_open.execute(select(func.count()).select_from(StatFirst))
        with pytest.raises(rebuilding.RecountBlocked, match="stat_firsts"):
            _rebuilt(factory)
    with factory() as session:
        assert session.scalar(text("SELECT to_regnamespace('jobfair_recount')")) is None
    assert_kept_equals_recount(factory)


def test_jobfair_recount_given_up_says_why_without_a_traceback(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from app.cli import cli

    def blocked(session, progress=None):
        raise rebuilding.RecountBlocked("stat_firsts")

    monkeypatch.setattr(get_settings(), "database_url", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setattr(upkeep, "rebuild", blocked)
    ran = CliRunner().invoke(cli, ["recount"])
    assert ran.exit_code == 1, ran.output
    assert "could not take stat_firsts's place" in ran.output
    assert "Nothing was changed." in ran.output and "Traceback" not in ran.output


def _rebuilt(factory: sessionmaker[Session]) -> None:
    with writing(factory) as session:
        rebuild(session)
