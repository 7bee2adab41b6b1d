"""Matchmaking's kept figures (app/matchmaking/kept.py): after any sequence of writes through
the services they equal a recount from the records, the migration that introduced them counts
the same, the figures read from them equal a count of the records done here in Python, and two
writers meeting on PostgreSQL leave them exact."""

import datetime as dt
import importlib
import random
from collections import defaultdict

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, select

from app.auth.principal import NATIONAL, Principal, Role
from app.core.errors import InvalidInput
from app.core.filters import DateRange
from app.employers.schemas import EmployerCreate
from app.employers.service import create_employer
from app.matchmaking import intents, kept, service
from app.matchmaking.figures import MatchScope, match_figures
from app.matchmaking.models import (
    CooperationIntent,
    MatchmakingFirst,
    MatchmakingSession,
    MatchmakingStep,
    SessionEmployer,
    SessionUniversity,
)
from app.matchmaking.schemas import IntentCreate, SessionCreate, SessionUpdate, StepCreate
from app.universities.schemas import UniversityCreate
from app.universities.service import create_university
from tests import factories as f
from tests.races import race, writing

STAFF = Principal("token", 1, "kept figures", Role.NATIONAL, NATIONAL)
PROVINCES = ["11", "12", "37"]
FIELDS = ["energy_power", "equipment_manufacturing", "integrated_circuits", None]
DAY_ONE = dt.date(2023, 5, 1)


def _register(session, rng: random.Random) -> tuple[list[str], list[str]]:
    universities = [f"41{PROVINCES[n % 3]}01{n:04d}" for n in range(6)]
    for code in universities:
        create_university(session, UniversityCreate(**f.university(code, f"大学{code}", code[2:4])))
    employers = [f.make_uscc(province=rng.choice(PROVINCES)) for _ in range(8)]
    for uscc in employers:
        create_employer(session, EmployerCreate(**f.employer(uscc, province=uscc[2:4])))
    return universities, employers


class _Writer:
    """Random writes of every kind through the services."""

    def __init__(self, session, rng: random.Random) -> None:
        self.session, self.rng = session, rng
        self.universities, self.employers = _register(session, rng)

    def _who(self) -> dict:
        rng = self.rng
        employers = rng.sample(self.employers, rng.randint(1, 4))
        return {
            "universities": rng.sample(self.universities, rng.randint(1, 3)),
            "employers": [{"uscc": uscc, "field": rng.choice(FIELDS)} for uscc in employers],
        }

    def _day(self) -> dt.date:
        return DAY_ONE + dt.timedelta(days=self.rng.randrange(40))

    def _sessions(self) -> list[MatchmakingSession]:
        return list(self.session.scalars(select(MatchmakingSession)))

    def _intents(self) -> list[CooperationIntent]:
        return list(self.session.scalars(select(CooperationIntent)))

    def create_session(self) -> None:
        province = self.rng.choice([None, *PROVINCES])
        data = SessionCreate(
            title="校企供需对接会", format="supply_demand", held_on=self._day(),
            organiser="教育部", province=province, **self._who(),
        )  # fmt: skip
        service.create_session(self.session, data, STAFF)

    def change_session(self) -> None:
        if not (meetings := self._sessions()):
            return
        meeting = self.rng.choice(meetings)
        changes = self._who() if not meeting_has_intents(self.session, meeting) else {}
        if self.rng.random() < 0.5 or not changes:
            changes["held_on"] = self._day()
        service.update_session(self.session, meeting.id, SessionUpdate(**changes), STAFF)

    def delete_session(self) -> None:
        meetings = [m for m in self._sessions() if not meeting_has_intents(self.session, m)]
        if meetings:
            service.delete_session(self.session, self.rng.choice(meetings).id, STAFF)

    def create_intent(self) -> None:
        if not (meetings := self._sessions()):
            return
        meeting = self.rng.choice(meetings)
        data = IntentCreate(
            session_id=meeting.id,
            university_code=self.rng.choice(meeting.university_codes),
            employer_uscc=self.rng.choice(meeting.employer_usccs),
            type=self.rng.choice(["directed_training", "internship_base", "joint_research"]),
        )
        intents.create_intent(self.session, data, STAFF)

    def step_intent(self) -> None:
        if not (reached := self._intents()):
            return
        intent = self.rng.choice(reached)
        last = intent.steps[-1]
        if last.status.value != "intended" and self.rng.random() < 0.4:
            intents.delete_step(self.session, intent.id, last.id, STAFF)
        elif last.status.value != "landed":
            status = "signed" if last.status.value == "intended" else "landed"
            as_of = last.as_of + dt.timedelta(days=self.rng.randrange(30))
            intents.add_step(self.session, intent.id, StepCreate(status=status, as_of=as_of), STAFF)

    def delete_intent(self) -> None:
        if reached := self._intents():
            intents.delete_intent(self.session, self.rng.choice(reached).id, STAFF)

    def run(self, count: int) -> None:
        writes = [
            self.create_session, self.create_session, self.change_session, self.delete_session,
            self.create_intent, self.create_intent, self.create_intent, self.step_intent,
            self.step_intent, self.delete_intent,
        ]  # fmt: skip
        for _ in range(count):
            savepoint = self.session.begin_nested()
            try:
                self.rng.choice(writes)()
            except InvalidInput:  # a session moved past an intent's signing: refused
                savepoint.rollback()
            else:
                savepoint.commit()


def meeting_has_intents(session, meeting: MatchmakingSession) -> bool:
    found = select(CooperationIntent.id).where(CooperationIntent.session_id == meeting.id)
    return session.scalar(found.limit(1)) is not None


def _kept_rows(session) -> dict:
    """Every kept row that counts something, by its key."""
    firsts = {
        (row.figure, row.breakdown, row.province, row.row_key, row.day, row.prev_day): row.entities
        for row in session.scalars(select(MatchmakingFirst))
        if row.entities
    }
    steps = {
        (row.breakdown, row.province, row.row_key, row.held_on, row.step, row.step_on): row.intents
        for row in session.scalars(select(MatchmakingStep))
        if row.intents
    }
    assert all(count > 0 for count in [*firsts.values(), *steps.values()])
    return {"firsts": firsts, "steps": steps}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_figures_after_random_writes_equal_a_recount(session, seed):
    _Writer(session, random.Random(seed)).run(60)
    assert session.scalar(select(CooperationIntent.id).limit(1)) is not None
    kept_along = _kept_rows(session)
    kept.recount(session)
    assert _kept_rows(session) == kept_along
    assert kept_along["firsts"] and kept_along["steps"]


def test_the_migration_counts_what_matchmaking_held_as_a_recount_does(session):
    _Writer(session, random.Random(7)).run(40)
    recounted = _kept_rows(session)
    session.execute(delete(MatchmakingFirst))
    session.execute(delete(MatchmakingStep))
    migration = importlib.import_module("migrations.versions.0015_matchmaking_kept_figures")
    with Operations.context(MigrationContext.configure(session.connection())):
        migration._count_firsts()
        migration._count_steps()
    assert _kept_rows(session) == recounted


# --- the figures, against a count of the records in Python -----------------------------


def _counted_in_python(session, scope: MatchScope, by: str | None) -> dict:
    """{key: figures} of the nation (key '') or by province or field, from the records."""
    dates, as_of = scope.dates, scope.as_of

    def kept_in(row) -> bool:
        within = dates.start <= row.held_on <= dates.end
        return within and (scope.province is None or (row.province or "") == scope.province)

    def key_of(row, field=None) -> str:
        if by == "province":
            return row.province or ""
        return (field or "") if by == "field" else ""

    found: dict = defaultdict(lambda: defaultdict(set))
    for row in session.scalars(select(SessionUniversity)):
        if kept_in(row) and by != "field":
            found[key_of(row)]["universities"].add(row.university_code)
    for row in session.scalars(select(SessionEmployer)):
        if kept_in(row):
            found[key_of(row, row.field_code)]["employers"].add(row.employer_uscc)
            if by == "field":
                found[key_of(row, row.field_code)]["sessions"].add(row.session_id)
            elif row.field_code:
                found[key_of(row)]["fields"].add(row.field_code)
    for row in session.scalars(select(MatchmakingSession)):
        if kept_in(row) and by != "field":
            found[key_of(row)]["sessions"].add(row.id)
    for row in session.scalars(select(CooperationIntent)):
        if kept_in(row) and row.held_on <= as_of:
            status = "landed" if row.landed_on and row.landed_on <= as_of else None
            status = status or (
                "signed" if row.signed_on and row.signed_on <= as_of else "intended"
            )
            found[key_of(row, row.field_code)]["intents"].add(row.id)
            found[key_of(row, row.field_code)][status].add(row.id)
    return {
        key: {name: len(ids) for name, ids in figures.items()} for key, figures in found.items()
    }


def _served(answer: dict, by: str | None) -> dict:
    rows = [{"key": "", **answer["figures"]}] if by is None else answer["rows"]
    return {
        row["key"]: {name: n for name, n in row.items() if isinstance(n, int) and n} for row in rows
    }


@pytest.mark.parametrize("by", [None, "province", "field"])
@pytest.mark.parametrize(
    ("start", "end", "as_of", "province"),
    [
        ("2023-05-01", "2023-06-30", "2023-06-30", None),
        ("2023-05-10", "2023-05-31", "2023-07-15", None),
        ("2023-05-20", "2023-06-10", "2023-06-01", "37"),
    ],
)
def test_figures_read_from_the_kept_rows_equal_the_records_counted(
    session, by, start, end, as_of, province
):
    _Writer(session, random.Random(11)).run(80)
    dates = DateRange(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    scope = MatchScope(dates, dt.date.fromisoformat(as_of), province)
    served = _served(match_figures(session, scope, by), by)
    assert served == {k: v for k, v in _counted_in_python(session, scope, by).items() if v}
    assert served


# --- two writers meeting (PostgreSQL: READ COMMITTED) -------------------------------------


def test_two_sessions_written_side_by_side_keep_the_figures_exact(committed):
    with writing(committed) as session:
        universities, employers = _register(session, random.Random(5))

    def meeting(day: int):
        def write(session) -> None:
            data = SessionCreate(
                title="对接会", format="supply_demand", held_on=DAY_ONE + dt.timedelta(days=day),
                organiser="教育部", universities=universities[:2],
                employers=[{"uscc": uscc, "field": "energy_power"} for uscc in employers[:3]],
            )  # fmt: skip
            service.create_session(session, data, STAFF)

        return write

    # The later session first: the earlier one, written meanwhile, moves who is first seen when.
    waited, raised = race(committed, meeting(20), meeting(3))
    assert raised is None
    with writing(committed) as session:
        kept_along = _kept_rows(session)
        kept.recount(session)
        assert _kept_rows(session) == kept_along
        scope = MatchScope(DateRange(start=DAY_ONE, end=DAY_ONE + dt.timedelta(days=30)), DAY_ONE)
        figures = match_figures(session, scope)["figures"]
    assert (figures["sessions"], figures["universities"], figures["employers"]) == (2, 2, 3)
    assert waited


def test_an_employer_at_two_sessions_of_a_range_counts_once_from_its_first_day(session):
    universities, employers = _register(session, random.Random(3))
    for day in (9, 19):
        data = SessionCreate(
            title="对接会", format="supply_demand", held_on=DAY_ONE + dt.timedelta(days=day),
            organiser="教育部", universities=universities[:1],
            employers=[{"uscc": employers[0], "field": "energy_power"}],
        )  # fmt: skip
        service.create_session(session, data, STAFF)
    for start, end, counted in [(9, 19, 1), (10, 19, 1), (0, 8, 0), (0, 30, 1)]:
        dates = DateRange(
            start=DAY_ONE + dt.timedelta(days=start), end=DAY_ONE + dt.timedelta(days=end)
        )
        figures = match_figures(session, MatchScope(dates, dates.end))["figures"]
        assert (figures["universities"], figures["employers"], figures["fields"]) == (counted,) * 3


def test_two_changes_to_one_session_side_by_side_keep_the_figures_exact(committed):
    with writing(committed) as session:
        universities, employers = _register(session, random.Random(6))
        data = SessionCreate(
            title="对接会", format="supply_demand", held_on=DAY_ONE, organiser="教育部",
            universities=universities[:1], employers=[{"uscc": employers[0]}],
        )  # fmt: skip
        meeting_id = service.create_session(session, data, STAFF).id

    def change(employed: list[str], days: int):
        def write(session) -> None:
            changes = SessionUpdate(
                employers=[{"uscc": uscc} for uscc in employed],
                held_on=DAY_ONE + dt.timedelta(days=days),
            )
            service.update_session(session, meeting_id, changes, STAFF)

        return write

    # The second, read before the first commits, must see the first's employers to take off.
    waited, raised = race(committed, change(employers[:3], 5), change(employers[3:4], 9))
    assert waited and raised is None
    with writing(committed) as session:
        meeting = session.get(MatchmakingSession, meeting_id)
        assert [(e.employer_uscc, e.held_on) for e in meeting.employers] == [
            (employers[3], DAY_ONE + dt.timedelta(days=9))
        ]
        kept_along = _kept_rows(session)
        kept.recount(session)
        assert _kept_rows(session) == kept_along
