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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from app.auth.principal import NATIONAL, Reach
from app.core.errors import AlreadyExists, InvalidInput, Problem, StillReferenced, UnknownReference
from app.employers.models import Employer
from app.employers.schemas import EmployerUpdate
from app.employers.service import update_employer
from app.events.models import Event, EventParticipant
from app.events.schemas import EventUpdate
from app.events.service import check_update as check_event_update
from app.events.service import update_event
from app.imports.bulk import indexes_deferred, insert_rows, insert_vacancies, reserve_ids
from app.imports.columns import IDENTITY, LABELS, new_record_defaults
from app.imports.rows import RowError, department_of
from app.stats.upkeep import Touched, events_touch, keeping_figures, visits_touch
from app.universities.models import University
from app.universities.schemas import UniversityUpdate
from app.universities.service import update_university
from app.vacancies.models import Vacancy
from app.vacancies.schemas import VacancyUpdate
from app.vacancies.service import check_update as check_vacancy_update
from app.vacancies.service import update_vacancy
from app.visits.models import Visit
from app.visits.schemas import VisitUpdate
from app.visits.service import check_update as check_visit_update
from app.visits.service import update_visit

Row = tuple[int, dict[str, Any]]
# What to do while the database stores a batch (read the next one): see rows.Batches.
Meanwhile = Callable[[], None] | None
# Keys known to exist are remembered up to this many, then looked up again.
_KNOWN_AT_MOST = 300_000


class _Known:
    """Which keys of a table exist, asked a batch at a time and remembered (with one value)."""

    def __init__(self, session: Session, key, value, where: list | None = None) -> None:
        self.session, self.key, self.value = session, key, value
        self.where = where or []  # the rows asked among: those of a reach
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
            query = select(self.key, self.value).where(self.key.in_(unknown), *self.where)
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
            changes = _changes(record, values)  # never its key, which is the record's
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


@dataclass
class _Plan:
    """What the rows of a batch do, decided as they are checked: the records they name (by id,
    or by university and 台账编号), each with its row's values; the new records; bad rows."""

    rows: list[Row]
    matched: list[tuple[int, Any, dict]] = field(default_factory=list)
    fresh: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _RecordWriter:
    """Visits, events or vacancies. A row that gives a 系统编号 (the record's id, as exports
    write it) updates that record, which must be within the sender's reach (a university's own;
    a province's department's); a row without one whose university and 台账编号 are there
    already updates that record; the others are new. A record is updated where its row differs
    (an empty cell leaves a field as it is), and counted as present where it does not. A
    province's rows (its department's, without a university) match its department's records
    by 台账编号.

    `check` decides what each row does, a batch at a time (one query for the ids of a batch,
    one for its 台账编号), and asks the service whether each update would be refused, so that
    a refused update is a bad row of its own; `write` then does it."""

    model: Any
    kind: str
    update: Callable
    check_update: Callable
    schema: Any
    references: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, session: Session, reach: Reach = NATIONAL) -> None:
        self.session = session
        self.reach = reach
        # A university's rows all carry its code (rows.reach_check), so that matching by
        # university and 台账编号 finds its own records only.
        self.department = department_of(reach)
        self.employers = _Known(session, Employer.uscc, Employer.province)
        self.universities = _Known(session, University.code, University.code)
        self.labels = LABELS[self.kind]
        self.defaults = new_record_defaults(self.kind)
        self.ids_seen: set[int] = set()
        self.refs_claimed: set[tuple] = set()
        self.plan: _Plan | None = None

    def check(self, rows: list[Row]) -> list[RowError]:
        errors = []
        for field_name, label, what in self.references:
            known = self.employers if what == "单位" else self.universities
            absent = known.missing([v.get(field_name) for _, v in rows])
            errors += _missing(rows, field_name, label, absent, what)
        self.plan = self._plan(rows)
        return errors + self.plan.errors

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        """Write the rows `check` was last given (or, unchecked, plan them now)."""
        plan = self.plan if self.plan is not None and self.plan.rows is rows else self._plan(rows)
        self.plan = None  # its records are not kept past their batch
        if plan.errors:
            raise ValueError(f"rows refused by check() cannot be written: {plan.errors[0]}")
        if plan.fresh:
            self.insert(self._with_defaults(plan.fresh), meanwhile)
        changed = 0
        for number, record, values in plan.matched:
            changes = _changes(record, values)
            if changes:
                self._update(number, record, changes)
                changed += 1
        return len(plan.fresh) + changed, len(plan.matched) - changed

    def insert(self, fresh: list[dict], meanwhile: Meanwhile = None) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """What is left to do once every row is written, before the import commits."""

    def _plan(self, rows: list[Row]) -> _Plan:
        plan = _Plan(rows)
        unnamed = rows
        if rows and "id" in rows[0][1]:  # the ledger has the column (each row has the key)
            named, unnamed = _by_id(rows)
            plan.matched += self._named(named, plan.errors)
        existing = self._existing(unnamed)
        if existing:
            for number, values in unnamed:
                record = existing.get(_ref(values))
                if record is None:
                    plan.fresh.append(values)
                else:
                    plan.matched.append((number, record, values))
        else:
            plan.fresh += [values for _, values in unnamed]
        for number, record, values in plan.matched:
            changes = _changes(record, values)
            if changes:
                plan.errors += self._refused(number, record, changes, values)
        return plan

    def _named(self, named: list[tuple[int, int, dict]], errors: list[RowError]) -> list:
        """The records the rows name by id, among those the sender's reach covers; a row whose
        id is not one of them, or names a record another row named already, is bad."""
        if not named:
            return []
        model = self.model
        wanted = {record_id for _, record_id, _ in named}
        query = select(model).where(model.id.in_(wanted), *self._within()).options(lazyload("*"))
        found = {record.id: record for record in self.session.scalars(query)}
        matched = []
        for number, record_id, values in named:
            if record_id in self.ids_seen:
                errors.append(
                    self._id_error(
                        number, record_id, "在文件中重复出现", "appears twice in the file"
                    )
                )
            elif record_id not in found:
                errors.append(self._id_error(number, record_id, *self._unknown()))
            else:
                matched.append((number, found[record_id], values))
            self.ids_seen.add(record_id)
        return matched

    def _within(self) -> list:
        """The records the sender's reach may update: a university its own, a province its
        department's, national staff any."""
        if self.reach.university is not None:
            return [self.model.university_code == self.reach.university]
        if self.department is not None:
            return [self.model.university_code.is_(None), self.model.province == self.department]
        return []

    def _unknown(self) -> tuple[str, str]:
        if self.reach.university is not None:
            return "不存在（本校的记录中没有）", "no record of this university has it"
        if self.department is not None:
            return "不存在（本部门的记录中没有）", "no record of this province's department has it"
        return "不存在", "no record has it"

    def _id_error(self, number: int, record_id: int, chinese: str, english: str) -> RowError:
        label = self.labels["id"]
        return RowError(
            number,
            label,
            str(record_id),
            f"{label}“{record_id}”{chinese}",
            f"id {record_id}: {english}",
        )

    def _refused(self, number: int, record, changes: dict, values: dict) -> list[RowError]:
        """The row's update refused as the service would refuse it (one 台账编号 for two
        records; another employer for a visit that vacancies came from), or as it would be
        after an earlier row of the file took the same 台账编号."""
        try:
            self.check_update(self.session, record, self.schema(**changes))
        except Problem as problem:
            return [_refusal(number, problem, self.labels, changes, values)]
        if {"university_code", "external_ref"} & changes.keys():
            return self._claimed_twice(number, record, values)
        return []

    def _claimed_twice(self, number: int, record, values: dict) -> list[RowError]:
        """A 台账编号 that an earlier update of the file gave its record already (the
        database, which the service asks, has not seen it yet)."""
        university = values.get("university_code") or record.university_code
        ref = values.get("external_ref") or record.external_ref
        if university is None or ref is None:
            return []  # records of no university may share one, as the database has it
        if (university, ref) not in self.refs_claimed:
            self.refs_claimed.add((university, ref))
            return []
        label = self.labels["external_ref"]
        return [
            RowError(
                number,
                label,
                ref,
                f"{label}“{ref}”在文件中重复出现",
                f"external_ref {ref} appears twice in the file",
            )
        ]

    def _update(self, number: int, record, changes: dict) -> None:
        try:
            self.update(self.session, record.id, self.schema(**changes))
        except Problem as problem:
            # `check` asked the service already: only rows of one batch together get here.
            # The batch is refused as rows that clash with each other are (service._write).
            raise IntegrityError(
                f"update of row {number}", None, _RowRefused(number, problem)
            ) from problem

    def _with_defaults(self, fresh: list[dict]) -> list[dict]:
        """New records with the defaults of the fields their rows leave empty (不限, 0)."""
        if not self.defaults:
            return fresh
        for values in fresh:
            for name, default in self.defaults.items():
                if values.get(name) is None:
                    values[name] = default
        return fresh

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


class _RowRefused(Exception):
    """An update the service refused as it was made, for the row `number`."""

    def __init__(self, number: int, problem: Problem) -> None:
        super().__init__(f"第 {number} 行 / row {number}: {problem.detail}")


def _by_id(rows: list[Row]) -> tuple[list[tuple[int, int, dict]], list[Row]]:
    """The rows that name their record by id (the id taken out of their values: it is not a
    field to write), and the others."""
    named, unnamed = [], []
    for number, values in rows:
        record_id = values.pop("id", None)
        if record_id is None:
            unnamed.append((number, values))
        else:
            named.append((number, record_id, values))
    return named, unnamed


def _changes(record, values: dict) -> dict:
    """Where the row differs from the record; an empty cell leaves a field as it is."""
    return {
        name: value
        for name, value in values.items()
        if value is not None and value != [] and getattr(record, name) != value
    }


# A refusal of the services, said in Chinese too: by its kind, of the column it names.
_REFUSALS: dict[type[Problem], str] = {
    AlreadyExists: "{label}“{value}”已被其他记录使用",
    StillReferenced: "{label}不能修改：该记录仍被其他记录引用",
    UnknownReference: "{label}“{value}”不存在",
    InvalidInput: "{label}“{value}”与该记录的其他信息不符",
}


def _refusal(number: int, problem: Problem, labels: dict, changes: dict, values: dict) -> RowError:
    """A service's refusal of a row's update, as a bad row naming the column at fault: the
    field the problem names, or, when that is no column of the ledger (a vacancy's visit),
    the one field the row changes."""
    field_name = problem.errors[0]["field"] if problem.errors else None
    if field_name not in labels and len(changes) == 1:
        field_name = next(iter(changes))
    label = labels.get(field_name)
    if label is None:
        return RowError(number, None, None, "该行的修改被拒绝", problem.detail)
    value = values.get(field_name)
    template = next(
        (text for kind, text in _REFUSALS.items() if isinstance(problem, kind)),
        "{label}的修改被拒绝",
    )
    chinese = template.format(label=label, value="" if value is None else value)
    return RowError(number, label, None if value is None else str(value), chinese, problem.detail)


def _ref(values: dict) -> tuple:
    return values.get("university_code"), values.get("external_ref")


def _ref_of(record) -> tuple:
    return record.university_code, record.external_ref


def _columns_and_rows(fresh: list[dict]) -> tuple[list[str], Iterator[list]]:
    columns = list(fresh[0])
    return columns, ([values[c] for c in columns] for values in fresh)


class VisitsWriter(_RecordWriter):
    model, kind, schema = Visit, "visits", VisitUpdate
    update, check_update = staticmethod(update_visit), staticmethod(check_visit_update)
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
    model, kind, schema = Event, "events", EventUpdate
    update, check_update = staticmethod(update_event), staticmethod(check_event_update)
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

    model, kind, schema = Vacancy, "vacancies", VacancyUpdate
    update, check_update = staticmethod(update_vacancy), staticmethod(check_vacancy_update)
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
            # The ledger's columns (province among them), but the id, which names a record.
            written = [name for name in LABELS["vacancies"] if name != IDENTITY["vacancies"]]
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
    """Who came to an event: the event by its id (活动系统编号, as exports write it) or, when
    a row gives none, by its 台账编号; the employer by its code. The event is looked for among
    those the sender's reach covers, as the events API finds one to change (a university's own;
    those held in a province's): another's is as unknown as a missing one."""

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
        self.event_ids = _Known(session, Event.id, Event.id, self._within())

    def check(self, rows: list[Row]) -> list[RowError]:
        absent = self.employers.missing([v["employer_uscc"] for _, v in rows])
        errors = _missing(rows, "employer_uscc", "统一社会信用代码", absent, "单位")
        unknown_ids = self.event_ids.missing(v.get("event_id") for _, v in rows)
        self._find_events({v.get("event_ref") for _, v in rows if v.get("event_id") is None})
        for number, values in rows:
            error = self._event_error(number, values, unknown_ids)
            if error is not None:
                errors.append(error)
        return errors

    def _event_error(self, number: int, values: dict, unknown_ids: set[int]) -> RowError | None:
        """Why the row's event cannot be told, if it cannot."""
        event_id, ref = values.get("event_id"), values.get("event_ref")
        if event_id is not None:
            if event_id not in unknown_ids:
                return None
            reason, english = self.unknown
            label, field_name, value = "活动系统编号", "event_id", event_id
        elif ref is None:
            return RowError(
                number,
                "活动台账编号",
                None,
                "活动系统编号和活动台账编号不能都为空，请填写其中之一",
                "event_id or event_ref is required",
            )
        else:
            matches = self.events.get(ref, [])
            if len(matches) == 1:
                return None
            reason, english = self.ambiguous if matches else self.unknown
            label, field_name, value = "活动台账编号", "event_ref", ref
        return RowError(
            number,
            label,
            str(value),
            f"{label}“{value}”{reason}",
            f"{field_name} {value}: {english}",
        )

    def _within(self) -> list:
        """Conditions keeping a query of events to those the sender's reach covers."""
        if self.reach.university is not None:
            return [Event.university_code == self.reach.university]
        if self.reach.province is not None:
            return [Event.province == self.reach.province]
        return []

    def _find_events(self, refs: set[str | None]) -> None:
        unknown = [ref for ref in refs if ref is not None and ref not in self.events]
        if unknown:
            query = select(Event.external_ref, Event.id).where(
                Event.external_ref.in_(unknown), *self._within()
            )
            for ref, event_id in self.session.execute(query):
                self.events.setdefault(ref, []).append(event_id)

    def _event_of(self, values: dict) -> int:
        event_id = values.get("event_id")
        return event_id if event_id is not None else self.events[values["event_ref"]][0]

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        pairs = {(self._event_of(v), v["employer_uscc"]) for _, v in rows}
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
