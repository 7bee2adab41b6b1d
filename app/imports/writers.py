"""Writing a ledger's valid rows, a batch at a time, in the import's one transaction.

Each writer checks what a row points at (employers, universities) against the database, then
writes: new records through the bulk path, records already there (by natural key, or by
university and 台账编号) updated through the service functions when they differ, and counted
as present when they do not.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.employers.models import Employer
from app.employers.schemas import EmployerUpdate
from app.employers.service import update_employer
from app.events.models import Event, EventParticipant
from app.events.schemas import EventUpdate
from app.events.service import update_event
from app.imports.bulk import indexes_deferred, insert_rows, insert_vacancies, reserve_ids
from app.imports.columns import LABELS
from app.imports.rows import RowError
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
    """Universities or employers: upserted on their natural key."""

    def __init__(self, session: Session, model, key: str, update: Callable, schema) -> None:
        self.session, self.model, self.key = session, model, key
        self.update, self.schema = update, schema
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
            if record is None:
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


def universities_writer(session: Session) -> RegistryWriter:
    return RegistryWriter(session, University, "code", update_university, UniversityUpdate)


def employers_writer(session: Session) -> RegistryWriter:
    return RegistryWriter(session, Employer, "uscc", update_employer, EmployerUpdate)


class _RecordWriter:
    """Visits, events or vacancies: a row whose university and 台账编号 are there already
    updates that record (when it differs); the others are new."""

    model: Any
    update: Callable
    schema: Any
    references: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, session: Session) -> None:
        self.session = session
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

    def __init__(self, session: Session) -> None:
        super().__init__(session)
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
    """Who came to an event: the event by its 台账编号, the employer by its code."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.employers = _Known(session, Employer.uscc, Employer.province)
        self.events: dict[str, list[int]] = {}

    def check(self, rows: list[Row]) -> list[RowError]:
        absent = self.employers.missing([v["employer_uscc"] for _, v in rows])
        errors = _missing(rows, "employer_uscc", "统一社会信用代码", absent, "单位")
        self._find_events({v["event_ref"] for _, v in rows})
        for number, values in rows:
            matches = self.events.get(values["event_ref"], [])
            if len(matches) != 1:
                reason = "不存在" if not matches else "对应多场活动（不同高校的台账编号相同）"
                english = "no event has it" if not matches else "several events have it"
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


WRITERS: dict[str, Callable[[Session], Any]] = {
    "universities": universities_writer,
    "employers": employers_writer,
    "visits": VisitsWriter,
    "events": EventsWriter,
    "event_participants": ParticipantsWriter,
    "vacancies": VacanciesWriter,
}
