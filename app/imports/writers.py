"""Writing a ledger's valid rows, a batch at a time, in the import's one transaction.

Each writer checks what a row points at (employers, universities) against the database, then
writes: new records through the bulk path, records already there (by natural key, or by
university and 台账编号) updated through the service functions when they differ, and counted
as present when they do not.

Each writer is made for the reach of the job's sender, and touches nothing outside it: the
rows themselves were checked against it as they were read (rows.reach_check). A university
updates its own records only; a province its department's (no university, its province),
matched by province and 台账编号; the event of a participant row is looked for among the
events the sender's reach covers. Employers are a registry every office shares: a university
or a province adds the ones not yet registered, and an employer already there is left as it
is (counted as present), as the API leaves changing a shared employer to national staff.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.employers.models import Employer
from app.employers.schemas import EmployerUpdate
from app.employers.service import update_employer
from app.events.models import Event, EventParticipant
from app.events.schemas import EventUpdate
from app.events.service import update_event
from app.imports.bulk import indexes_deferred, insert_rows, insert_vacancies, reserve_ids
from app.imports.columns import LABELS
from app.imports.rows import RowError, department_of
from app.stats.upkeep import Touched, events_touch, keeping_figures, visits_touch
from app.universities.models import University
from app.universities.schemas import UniversityUpdate
from app.universities.service import update_university
from app.vacancies.models import Vacancy
from app.vacancies.schemas import VacancyUpdate
from app.vacancies.service import update_vacancy
from app.visits.models import Visit
from app.visits.schemas import VisitUpdate
from app.visits.service import update_visit

Row = tuple[int, dict[str, Any]]
# What to do while the database stores a batch (read the next one): see rows.Batches.
Meanwhile = Callable[[], None] | None
# Keys known to exist are remembered up to this many, then looked up again.
_KNOWN_AT_MOST = 300_000


class _Known:
    """Which keys of a table exist, asked a batch at a time and remembered (with one value)."""

    def __init__(self, session: Session, key, value) -> None:
        self.session, self.key, self.value = session, key, value
        self.found: dict[str, Any] = {}
        self.shared: dict[Any, Any] = {}

    def lookup(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = {key for key in keys if key is not None}
        self._ask(wanted)
        return {key: self.found[key] for key in wanted if key in self.found}

    def missing(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` do not exist."""
        wanted = set(keys)
        wanted.discard(None)
        self._ask(wanted)
        return wanted.difference(self.found)

    def _ask(self, wanted: set[str]) -> None:
        if len(self.found) > _KNOWN_AT_MOST:
            self.found.clear()  # before asking what is unknown: all of it is, now
        unknown = wanted.difference(self.found)
        if unknown:
            query = select(self.key, self.value).where(self.key.in_(unknown))
            # The values repeat (an employer's province): each is kept once, not once per key.
            shared = self.shared
            self.found.update(
                (key, shared.setdefault(value, value)) for key, value in self.session.execute(query)
            )


def _missing(rows: list[Row], field: str, label: str, absent: set, what: str) -> list[RowError]:
    if not absent:
        return []
    return [
        RowError(
            number,
            label,
            values[field],
            f"{label}“{values[field]}”不存在，请先登记该{what}",
            f"{field}: no {what_en(what)} {values[field]}; register it first",
        )
        for number, values in rows
        if values.get(field) in absent
    ]


def what_en(what: str) -> str:
    return {"单位": "employer", "高校": "university"}[what]


class RegistryWriter:
    """Universities or employers: upserted on their natural key. Unless `may_update`, a record
    already there is left as it is, and counted as present (a university's or a province's
    employers: the registry is shared, and only national staff change what is in it)."""

    def __init__(
        self, session: Session, model, key: str, update: Callable, schema, may_update: bool = True
    ) -> None:
        self.session, self.model, self.key = session, model, key
        self.update, self.schema = update, schema
        self.may_update = may_update
        self.seen: set[str] = set()

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = []
        for number, values in rows:
            key = values[self.key]
            if key in self.seen:
                errors.append(
                    RowError(number, None, key, f"{key} 在文件中重复出现", f"{key} appears twice")
                )
            self.seen.add(key)
        return errors

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        key_column = getattr(self.model, self.key)
        keys = [values[self.key] for _, values in rows]
        existing = {
            getattr(record, self.key): record
            for record in self.session.scalars(select(self.model).where(key_column.in_(keys)))
        }
        fresh = [values for _, values in rows if values[self.key] not in existing]
        if fresh:
            columns = list(fresh[0])
            table = self.model.__table__
            insert_rows(self.session, table, columns, ([v[c] for c in columns] for v in fresh))
        changed = 0
        for _, values in rows:
            record = existing.get(values[self.key])
            if record is None or not self.may_update:
                continue
            changes = {
                name: value
                for name, value in values.items()
                if name != self.key and getattr(record, name) != value
            }
            if changes:
                self.update(self.session, values[self.key], self.schema(**changes))
                changed += 1
        return len(fresh) + changed, len(existing) - changed

    def finish(self) -> None:
        """Nothing is left once every row is written."""


def universities_writer(session: Session, reach: Reach = NATIONAL) -> RegistryWriter:
    """National staff's alone (others are refused before a job is made): updates if asked."""
    national = reach.is_national
    return RegistryWriter(
        session, University, "code", update_university, UniversityUpdate, may_update=national
    )


def employers_writer(session: Session, reach: Reach = NATIONAL) -> RegistryWriter:
    national = reach.is_national
    return RegistryWriter(
        session, Employer, "uscc", update_employer, EmployerUpdate, may_update=national
    )


class _RecordWriter:
    """Visits, events or vacancies: a row whose university and 台账编号 are there already
    updates that record (when it differs); the others are new. A province's rows (its
    department's, without a university) match its department's records by 台账编号."""

    model: Any
    update: Callable
    schema: Any
    references: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, session: Session, reach: Reach = NATIONAL) -> None:
        self.session = session
        # A university's rows all carry its code (rows.reach_check), so that matching by
        # university and 台账编号 finds its own records only.
        self.department = department_of(reach)
        self.employers = _Known(session, Employer.uscc, Employer.province)
        self.universities = _Known(session, University.code, University.code)

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = []
        for field, label, what in self.references:
            known = self.employers if what == "单位" else self.universities
            absent = known.missing([v.get(field) for _, v in rows])
            errors += _missing(rows, field, label, absent, what)
        return errors

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        existing = self._existing(rows)
        if existing:
            fresh = [v for _, v in rows if _ref(v) not in existing]
        else:
            fresh = [v for _, v in rows]
        if fresh:
            self.insert(fresh, meanwhile)
        changed = 0
        for _, values in rows:
            record = existing.get(_ref(values))
            if record is None:
                continue
            # An empty cell leaves the field as it is.
            changes = {
                n: v for n, v in values.items() if v not in (None, []) and getattr(record, n) != v
            }
            if changes:
                self.update(self.session, record.id, self.schema(**changes))
                changed += 1
        return len(fresh) + changed, len(existing) - changed

    def insert(self, fresh: list[dict], meanwhile: Meanwhile = None) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """What is left to do once every row is written, before the import commits."""

    def _existing(self, rows: list[Row]) -> dict[tuple, Any]:
        if not any(v.get("external_ref") for _, v in rows):
            return {}
        if self.department is not None:
            return self._departments(rows)
        refs = {_ref(v) for _, v in rows if all(_ref(v))}
        if not refs:
            return {}
        # Two lists rather than a list of pairs: PostgreSQL seeks the unique index with both
        # (or hashes them), where thousands of pairs become a slow chain of ORs.
        model = self.model
        found = self.session.scalars(
            select(model).where(
                model.university_code.in_({code for code, _ in refs}),
                model.external_ref.in_({ref for _, ref in refs}),
            )
        )
        return {(r.university_code, r.external_ref): r for r in found if _ref_of(r) in refs}

    def _departments(self, rows: list[Row]) -> dict[tuple, Any]:
        """A province's records by 台账编号: its department's, in its province (its rows have
        no university, and are in its province: rows.reach_check)."""
        model = self.model
        found = self.session.scalars(
            select(model).where(
                model.university_code.is_(None),
                model.province == self.department,
                model.external_ref.in_({v["external_ref"] for _, v in rows} - {None}),
            )
        )
        return {(None, record.external_ref): record for record in found}


def _ref(values: dict) -> tuple:
    return values.get("university_code"), values.get("external_ref")


def _ref_of(record) -> tuple:
    return record.university_code, record.external_ref


def _columns_and_rows(fresh: list[dict]) -> tuple[list[str], Iterator[list]]:
    columns = list(fresh[0])
    return columns, ([values[c] for c in columns] for values in fresh)


class VisitsWriter(_RecordWriter):
    model, update, schema = Visit, staticmethod(update_visit), VisitUpdate
    references = (
        ("employer_uscc", "统一社会信用代码", "单位"),
        ("university_code", "学校标识码", "高校"),
    )

    def insert(self, fresh: list[dict], meanwhile: Meanwhile = None) -> None:
        universities = {v["university_code"] for v in fresh}
        employers = {v["employer_uscc"] for v in fresh}
        ids = reserve_ids(self.session, Visit.__table__, len(fresh))
        touched = visits_touch(universities, employers)
        after = touched.plus(visits=Visit.id.in_(ids))
        with keeping_figures(self.session, touched, after=lambda: after):
            columns, rows = _columns_and_rows(fresh)
            numbered = ([number, *row] for number, row in zip(ids, rows, strict=True))
            insert_rows(self.session, Visit.__table__, ["id", *columns], numbered)


class EventsWriter(_RecordWriter):
    model, update, schema = Event, staticmethod(update_event), EventUpdate
    references = (("university_code", "主办高校标识码", "高校"),)

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = super().check(rows)
        for number, values in rows:
            if values["end_date"] < values["start_date"]:
                errors.append(
                    RowError(
                        number,
                        "结束日期",
                        str(values["end_date"]),
                        "结束日期早于开始日期",
                        "end_date is before start_date",
                    )
                )
        return errors

    def insert(self, fresh: list[dict], meanwhile: Meanwhile = None) -> None:
        ids = reserve_ids(self.session, Event.__table__, len(fresh))
        with keeping_figures(
            self.session, Touched(), after=lambda: Touched(events=Event.id.in_(ids))
        ):
            columns, rows = _columns_and_rows(fresh)
            numbered = ([number, *row] for number, row in zip(ids, rows, strict=True))
            insert_rows(self.session, Event.__table__, ["id", *columns], numbered)


class VacanciesWriter(_RecordWriter):
    """New vacancies go through the bulk path, their figures pending until folded. Into an
    empty table (on PostgreSQL), its indexes are built once at the end (see indexes_deferred)."""

    model, update, schema = Vacancy, staticmethod(update_vacancy), VacancyUpdate
    references = (
        ("employer_uscc", "统一社会信用代码", "单位"),
        ("university_code", "学校标识码", "高校"),
    )

    def __init__(self, session: Session, reach: Reach = NATIONAL) -> None:
        super().__init__(session, reach)
        self.rebuild: Callable[[], None] | None = None
        self.started = False

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        if not self.started:
            self.started = True
            written = list(LABELS["vacancies"])  # the ledger's columns, province among them
            self.rebuild = indexes_deferred(self.session, Vacancy.__table__, written)
        return super().write(rows, meanwhile)

    def insert(self, fresh: list[dict], meanwhile: Meanwhile = None) -> None:
        employers = self.employers.lookup(v["employer_uscc"] for v in fresh)
        for values in fresh:
            if values.get("province") is None:
                values["province"] = employers[values["employer_uscc"]]
        held = self.rebuild is not None  # the table, in ACCESS EXCLUSIVE mode
        columns, rows = _columns_and_rows(fresh)
        insert_vacancies(self.session, columns, rows, meanwhile, held_exclusively=held)

    def finish(self) -> None:
        if self.rebuild:
            self.rebuild()


class ParticipantsWriter:
    """Who came to an event: the event by its 台账编号, the employer by its code. The event is
    looked for among those the sender's reach covers, as the events API finds one to change (a
    university's own; those held in a province's): another's is as unknown as a missing one."""

    def __init__(self, session: Session, reach: Reach = NATIONAL) -> None:
        self.session = session
        self.reach = reach
        self.ambiguous = ("对应多场活动（不同高校的台账编号相同）", "several events have it")
        if reach.university is not None:
            self.unknown = ("不存在（本校的活动中没有）", "no event of this university has it")
        elif reach.province is not None:
            self.unknown = ("不存在（本省的活动中没有）", "no event held in this province has it")
        else:
            self.unknown = ("不存在", "no event has it")
        self.employers = _Known(session, Employer.uscc, Employer.province)
        self.events: dict[str, list[int]] = {}

    def check(self, rows: list[Row]) -> list[RowError]:
        absent = self.employers.missing([v["employer_uscc"] for _, v in rows])
        errors = _missing(rows, "employer_uscc", "统一社会信用代码", absent, "单位")
        self._find_events({v["event_ref"] for _, v in rows})
        for number, values in rows:
            matches = self.events.get(values["event_ref"], [])
            if len(matches) != 1:
                if matches:
                    reason, english = self.ambiguous
                else:
                    reason, english = self.unknown
                errors.append(
                    RowError(
                        number,
                        "活动台账编号",
                        values["event_ref"],
                        f"活动台账编号“{values['event_ref']}”{reason}",
                        f"event_ref {values['event_ref']}: {english}",
                    )
                )
        return errors

    def _find_events(self, refs: set[str]) -> None:
        unknown = [ref for ref in refs if ref not in self.events]
        if unknown:
            query = select(Event.external_ref, Event.id).where(Event.external_ref.in_(unknown))
            if self.reach.university is not None:
                query = query.where(Event.university_code == self.reach.university)
            elif self.reach.province is not None:
                query = query.where(Event.province == self.reach.province)
            for ref, event_id in self.session.execute(query):
                self.events.setdefault(ref, []).append(event_id)

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        pairs = {(self.events[v["event_ref"]][0], v["employer_uscc"]) for _, v in rows}
        query = select(EventParticipant.event_id, EventParticipant.employer_uscc).where(
            EventParticipant.event_id.in_({event for event, _ in pairs}),
            EventParticipant.employer_uscc.in_({uscc for _, uscc in pairs}),
        )
        present = {tuple(row) for row in self.session.execute(query)} & pairs
        fresh = sorted(pairs - present)
        if fresh:
            touched = events_touch({uscc for _, uscc in fresh})
            with keeping_figures(self.session, touched):
                table = EventParticipant.__table__
                insert_rows(self.session, table, ("event_id", "employer_uscc"), fresh)
        return len(fresh), len(rows) - len(fresh)

    def finish(self) -> None:
        """Nothing is left once every row is written."""


# Each makes the writer of one job: WRITERS[kind](session, reach of the job's sender).
WRITERS: dict[str, Callable[[Session, Reach], Any]] = {
    "universities": universities_writer,
    "employers": employers_writer,
    "visits": VisitsWriter,
    "events": EventsWriter,
    "event_participants": ParticipantsWriter,
    "vacancies": VacanciesWriter,
}
