"""Writing the ledgers of graduates in difficulty (重点群体帮扶台账) and of the services given
them, row by row through the service functions the API uses (app/assistance/service.py,
given.py): numbers encrypted, hashed and masked as the API stores them, the kept figures and
counts of services kept current, each graduate's first status recorded by the ledger's sender.

Who writes what: a university its own graduates (rows.reach_check: 学校标识码 blank or its
own) and the services of its own graduates; national staff any university's, naming it; a
province none (refused before a job is made, service.check_allowed).

A row names its record by 系统编号 (as exports write it), else by its university and 台账编号,
and updates it where it differs; an empty cell leaves a field as it is, and so does a masked
one (430102********0016, 139****0002, 张**, as exports write them), which must be the
record's own. A row naming neither is a new record. The once-a-cohort rule holds within the
file too: the same 居民身份证号 twice in one cohort is a bad row, whether in the file or
already in any university's ledger (found by the keyed hash, never by the number).

A service's graduate is found by 学生系统编号, by 学生台账编号 (within the university: the
sender's own, or the 学校标识码 given), or by 居民身份证号 and 届别 (its keyed hash), among the
graduates of the sender's reach; ways given together must name the same graduate.

Every check is made by `check`, before anything is written, so that every bad row is listed;
what `write` then meets (a refusal by a service function) rejects the job too. No error
quotes a number: cells are shown masked (app/imports/personal.py).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.principal import NATIONAL, Reach
from app.core.errors import Problem
from app.imports.columns import LABELS
from app.imports.personal import shown_cell
from app.imports.rows import RowError
from app.imports.writers import Meanwhile, Row
from app.privacy.numbers import scrub

CLI = "cli"
# Values asked for in one IN (…): SQLite takes at most 32,766 bound values a statement.
_IN_AT_MOST = 5_000


def chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(dict.fromkeys(v for v in values if v is not None))
    for start in range(0, len(values), _IN_AT_MOST):
        yield values[start : start + _IN_AT_MOST]


def fetch(session: Session, query: Callable[[list], Any], values: Iterable[Any]) -> list:
    """The rows `query(chunk)` selects, for every chunk of `values`."""
    found = []
    for chunk in chunks(values):
        found += session.scalars(query(chunk)).all()
    return found


def of(rows: list[Row], name: str) -> list[Any]:
    return [values.get(name) for _, values in rows]


class _RowRefused(Exception):
    """A row that a service function refused as it was written (`check` should have seen it)."""


def refused(number: int, error: Exception) -> IntegrityError:
    """The refusal as the import machinery reports rows that clash (service._conflict): the
    batch rolled back, the job rejected with the row's number. Never a number in it: a
    pydantic error is said without its input, a problem by its detail (which quotes none)."""
    if isinstance(error, ValidationError):
        detail = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
            for e in error.errors(include_url=False, include_input=False)
        )
    else:
        detail = getattr(error, "detail", type(error).__name__)
    message = scrub(f"第 {number} 行 / row {number}: {detail}")
    return IntegrityError(f"row {number}", None, _RowRefused(message))


class Errors:
    """The bad rows of one batch, said in Chinese and English, no cell shown unmasked."""

    def __init__(self, kind: str) -> None:
        self.labels = LABELS[kind]
        self.found: list[RowError] = []

    def add(self, number: int, field_name: str | None, value: Any, chinese: str, english: str):
        label = self.labels.get(field_name) if field_name else None
        shown = shown_cell(field_name, value)
        shown = None if shown is None else str(shown)[:200]
        chinese = scrub(f"{label}{chinese}" if label else chinese)
        self.found.append(RowError(number, label, shown, chinese, scrub(english)))


def unknown(reach: Reach) -> tuple[str, str]:
    """How a record the reach does not cover is said not to exist."""
    if reach.university is not None:
        return "（本校的台账中没有）", " (none of this university's)"
    return "", ""


class LedgerWriter:
    """A batch's rows checked (`check` plans each row: a step) then written step by step
    through the service functions (`_write`: 1 if it wrote, 0 if the row was as stored)."""

    kind: str

    def __init__(self, session: Session, reach: Reach = NATIONAL, actor: str = CLI) -> None:
        self.session, self.reach, self.actor = session, reach, actor
        self.plan: tuple[list[Row], list[Any]] | None = None

    def check(self, rows: list[Row]) -> list[RowError]:
        raise NotImplementedError

    def _write(self, step: Any) -> int:
        raise NotImplementedError

    def planned(self, rows: list[Row]) -> list[Any]:
        """The steps `check` planned for the rows it was last given (or, unchecked, checks
        them now), taken: a plan is written once."""
        if self.plan is None or self.plan[0] is not rows:
            errors = self.check(rows)
            if errors:
                raise ValueError(f"rows refused by check() cannot be written: row {errors[0].row}")
        steps = self.plan[1]
        self.plan = None
        return steps

    def write(self, rows: list[Row], meanwhile: Meanwhile = None) -> tuple[int, int]:
        """Write the rows `check` was last given (or, unchecked, check them now)."""
        steps = self.planned(rows)
        written = 0
        for step in steps:
            try:
                written += self._write(step)
            except (Problem, ValidationError) as error:
                raise refused(step.number, error) from None
        return written, len(steps) - written

    def named(self, number: int, record_id: int, known: dict, what: str, errors: Errors):
        """The record a row's 系统编号 names (None, with the row's error, when it names none
        within the reach, or one another row of the file named already)."""
        if record_id in self.ids_seen:
            errors.add(
                number,
                "id",
                record_id,
                f"“{record_id}”在文件中重复出现",
                f"id {record_id} appears twice in the file",
            )
        elif record_id not in known:
            chinese, english = unknown(self.reach)
            errors.add(
                number,
                "id",
                record_id,
                f"“{record_id}”不存在{chinese}",
                f"id {record_id}: no {what}{english}",
            )
        self.ids_seen.add(record_id)
        return known.get(record_id)

    def finish(self) -> None:
        """Nothing is left once every row is written."""
