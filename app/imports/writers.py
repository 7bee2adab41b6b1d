"""Writing a ledger's valid rows, a batch at a time, in the import's one transaction.

Each writer checks what a row points at (employers, universities) against the database, then
writes: new records through the bulk path, records already there (by natural key, or by
university and 台账编号) updated through the service functions when they differ, and counted
as present when they do not.
"""

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.employers.models import Employer
from app.employers.schemas import EmployerUpdate
from app.employers.service import update_employer
from app.imports.bulk import insert_rows, insert_vacancies
from app.imports.rows import RowError
from app.universities.models import University
from app.universities.schemas import UniversityUpdate
from app.universities.service import update_university
from app.vacancies.models import Vacancy
from app.vacancies.schemas import VacancyUpdate
from app.vacancies.service import update_vacancy

Row = tuple[int, dict[str, Any]]
# Keys known to exist are remembered up to this many, then looked up again.
_KNOWN_AT_MOST = 500_000


class _Known:
    """Which keys of a table exist, asked a batch at a time and remembered (with one value)."""

    def __init__(self, session: Session, key, value) -> None:
        self.session, self.key, self.value = session, key, value
        self.found: dict[str, Any] = {}

    def lookup(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = {key for key in keys if key is not None}
        unknown = [key for key in wanted if key not in self.found]
        if unknown:
            if len(self.found) > _KNOWN_AT_MOST:
                self.found.clear()
            query = select(self.key, self.value).where(self.key.in_(unknown))
            self.found.update(dict(self.session.execute(query).all()))
        return {key: self.found[key] for key in wanted if key in self.found}


def _missing(rows: list[Row], field: str, label: str, known: dict, what: str) -> list[RowError]:
    return [
        RowError(
            number,
            label,
            values[field],
            f"{label}“{values[field]}”不存在，请先登记该{what}",
            f"{field}: no {what_en(what)} {values[field]}; register it first",
        )
        for number, values in rows
        if values.get(field) is not None and values[field] not in known
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

    def write(self, rows: list[Row]) -> tuple[int, int]:
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


def universities_writer(session: Session) -> RegistryWriter:
    return RegistryWriter(session, University, "code", update_university, UniversityUpdate)


def employers_writer(session: Session) -> RegistryWriter:
    return RegistryWriter(session, Employer, "uscc", update_employer, EmployerUpdate)


class VacanciesWriter:
    """Vacancies: new ones through the bulk path; one whose university and 台账编号 are there
    already updates it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.employers = _Known(session, Employer.uscc, Employer.province)
        self.universities = _Known(session, University.code, University.code)

    def check(self, rows: list[Row]) -> list[RowError]:
        employers = self.employers.lookup(v.get("employer_uscc") for _, v in rows)
        universities = self.universities.lookup(v.get("university_code") for _, v in rows)
        return _missing(rows, "employer_uscc", "统一社会信用代码", employers, "单位") + _missing(
            rows, "university_code", "学校标识码", universities, "高校"
        )

    def write(self, rows: list[Row]) -> tuple[int, int]:
        existing = self._existing(rows)
        fresh = [
            v for _, v in rows if (v.get("university_code"), v.get("external_ref")) not in existing
        ]
        employers = self.employers.lookup(v["employer_uscc"] for v in fresh)
        for values in fresh:
            if values.get("province") is None:
                values["province"] = employers[values["employer_uscc"]]
        if fresh:
            columns = list(fresh[0])
            insert_vacancies(self.session, columns, ([v[c] for c in columns] for v in fresh))
        changed = 0
        for _, values in rows:
            vacancy = existing.get((values.get("university_code"), values.get("external_ref")))
            if vacancy is None:
                continue
            changes = {
                n: v for n, v in values.items() if v is not None and getattr(vacancy, n) != v
            }
            if changes:
                update_vacancy(self.session, vacancy.id, VacancyUpdate(**changes))
                changed += 1
        return len(fresh) + changed, len(existing) - changed

    def _existing(self, rows: list[Row]) -> dict[tuple, Vacancy]:
        refs = {
            (v["university_code"], v["external_ref"])
            for _, v in rows
            if v.get("university_code") and v.get("external_ref")
        }
        if not refs:
            return {}
        key = tuple_(Vacancy.university_code, Vacancy.external_ref)
        found = self.session.scalars(select(Vacancy).where(key.in_(refs)))
        return {(v.university_code, v.external_ref): v for v in found}


WRITERS: dict[str, Callable[[Session], Any]] = {
    "universities": universities_writer,
    "employers": employers_writer,
    "vacancies": VacanciesWriter,
}
