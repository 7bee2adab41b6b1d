"""From a ledger's header and rows to field values, and the problems of each bad row."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from app.auth.principal import NATIONAL, Reach
from app.imports.columns import IDENTITY, LABELS, ONE_OF, CellError, Column, columns_of
from app.imports.readers import Ledger, LedgerRefused
from app.reference.codes import fold

# A job keeps this many of its row errors to show; it counts them all.
ERRORS_KEPT = 1_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    value: str | None
    chinese: str
    english: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.chinese,
            "reason_en": self.english,
        }


# Checks a parsed row against the sender's reach, filling what the reach gives; appends to
# the row's errors what is outside it.
RowCheck = Callable[[int, dict[str, Any], list["RowError"]], None]


@dataclass(frozen=True)
class Layout:
    """Which column of the ledger feeds which field."""

    positions: list[tuple[int, Column]]
    ignored: list[str]
    # Columns the ledger leaves out: their defaults.
    defaults: dict[str, Any]
    # Each row checked against the sender's reach; None for a national sender.
    check: RowCheck | None = None


def layout_of(kind: str, header: list[str], reach: Reach = NATIONAL) -> Layout:
    """The ledger's columns by their Chinese label or field name, in any order. A required
    column missing, or a column given twice, refuses the file. Columns the sender's `reach`
    fills (a university's own code) may be left out or blank."""
    columns = columns_of(kind, filled_by_reach(kind, reach))
    by_name = {fold(c.label): c for c in columns} | {c.field: c for c in columns}
    positions: list[tuple[int, Column]] = []
    ignored: list[str] = []
    seen: set[str] = set()
    for position, title in enumerate(header):
        column = by_name.get(fold(title)) or by_name.get(fold(title).lower())
        if column is None:
            if title:
                ignored.append(title)
            continue
        if column.field in seen:
            raise LedgerRefused(
                f"列“{column.label}”出现了两次", f"The column {column.field} appears twice."
            )
        seen.add(column.field)
        positions.append((position, column))
    missing = [c for c in columns if c.required and c.field not in seen]
    if missing:
        raise LedgerRefused(
            "缺少必填列：" + "、".join(c.label for c in missing),
            "Required columns are missing: " + ", ".join(c.field for c in missing) + ".",
        )
    _refuse_without_one_of(kind, columns, seen)
    # A row of a ledger without the identity column has no id at all (not an empty one): it
    # is read as it was before there was one.
    absent = [c for c in columns if c.field not in seen and c.field != IDENTITY.get(kind)]
    defaults = {c.field: c.default for c in absent}
    return Layout(positions, ignored, defaults, reach_check(kind, reach))


def _refuse_without_one_of(kind: str, columns: list[Column], seen: set[str]) -> None:
    """A ledger that gives none of the columns of which each row needs one is refused."""
    wanted = ONE_OF.get(kind, ())
    if wanted and not seen.intersection(wanted):
        labels = [c.label for c in columns if c.field in wanted]
        raise LedgerRefused(
            "缺少必填列：" + "或".join(labels),
            "Required columns are missing: one of " + ", ".join(wanted) + ".",
        )


ParsedRow = tuple[int, dict[str, Any], list[RowError]]


def parsed_rows(ledger: Ledger, layout: Layout) -> Iterator[ParsedRow]:
    """Each row as (row number, field values, errors); a row with errors has partial values.
    A national sender's rows are not checked against a reach: its path is as fast as before."""
    rows = _parsed(ledger, layout)
    if layout.check is None:
        return rows
    return _checked(rows, layout.check)


def _checked(rows: Iterator[ParsedRow], check: RowCheck) -> Iterator[ParsedRow]:
    for number, values, errors in rows:
        check(number, values, errors)
        yield number, values, errors


def _parsed(ledger: Ledger, layout: Layout) -> Iterator[ParsedRow]:
    defaults = layout.defaults
    readers = [(position, column.field, column.value) for position, column in layout.positions]
    width = max((position for position, _, _ in readers), default=-1) + 1
    for number, row in ledger.rows:
        if len(row) < width:  # a short row: its last cells are empty
            row = [*row, *([None] * (width - len(row)))]
        values: dict[str, Any] = dict(defaults)
        errors: list[RowError] = []
        for position, field, value_of in readers:
            try:
                values[field] = value_of(row[position])
            except CellError as error:
                errors.append(_row_error(number, layout, position, row[position], error))
        yield number, values, errors


def _row_error(number: int, layout: Layout, position: int, cell: Any, error: CellError) -> RowError:
    column = next(column for at, column in layout.positions if at == position)
    return RowError(number, column.label, _shown(column.shown(cell)), error.chinese, error.english)


def _shown(cell: Any) -> str | None:
    if cell is None:
        return None
    text = str(cell)
    return text if len(text) <= 200 else text[:200] + "…"


class Batches:
    """Parsed rows a batch at a time. The next batch may be read early (`read_next`), while the
    database is still storing the last one: reading is Python's work and storing the
    database's, so side by side they take the time of the slower rather than of both."""

    def __init__(self, rows: Iterator, size: int) -> None:
        self._rows, self._size = rows, size
        self._next: list | None = None

    def __iter__(self) -> "Batches":
        return self

    def __next__(self) -> list:
        self.read_next()
        batch, self._next = self._next, None
        if not batch:
            raise StopIteration
        return batch

    def read_next(self) -> None:
        if self._next is None:
            self._next = list(islice(self._rows, self._size))


# Where a ledger's sender may write (app/auth/ownership.py has the same rule for single
# writes): national staff anywhere; a university its own records, its code blank or its own;
# a province its department's records (no university), in its own province, and the policy
# positions of its province. The kinds a reach may not import at all are refused before any
# job is made (service.check_allowed): a province writes no ledger of graduates in
# difficulty, which are universities' own; a university no ledger of policy positions.
# Cooperation intents are universities' own too; which a province may send (its
# universities') its writer tells (app/imports/matchmaking_intents.py).
_OWNED_RECORDS = ("visits", "events", "vacancies", "assisted_graduates", "assistance_services")
_OWNED_RECORDS += ("cooperation_intents",)
_DEPARTMENT_RECORDS = ("events", "vacancies")
_PROVINCE_LEDGERS = ("policy_quotas", "policy_progress")


def department_of(reach: Reach) -> str | None:
    """The province of a province's reach (whose records are its department's); else None."""
    return reach.province if reach.university is None else None


def filled_by_reach(kind: str, reach: Reach) -> frozenset[str]:
    """The fields a row of `kind` may leave blank because the sender's reach gives them (a
    university's event is, unless told, in its province, as the API has it)."""
    if reach.university is not None and kind in _OWNED_RECORDS:
        if kind == "events":
            return frozenset({"university_code", "province"})
        return frozenset({"university_code"})
    if department_of(reach) is not None and kind in (*_DEPARTMENT_RECORDS, *_PROVINCE_LEDGERS):
        return frozenset({"province"})
    return frozenset()


def reach_check(kind: str, reach: Reach) -> RowCheck | None:
    """The check of each row of `kind` sent within `reach`; None when there is none to make
    (a national sender; the registries, and participants, whose events the writer finds)."""
    labels = LABELS[kind]
    if reach.university is not None and kind in _OWNED_RECORDS:
        province = reach.province if kind == "events" else None
        return _university_check(reach.university, labels["university_code"], province)
    department = department_of(reach)
    if department is not None and kind in _DEPARTMENT_RECORDS:
        return _department_check(department, labels)
    if department is not None and kind in _PROVINCE_LEDGERS:
        return _province_check(department, labels["province"])
    return None


def _university_check(own: str, label: str, province: str | None) -> RowCheck:
    """A university's rows: its own. `province`: the university's, for a row that gives none."""

    def check(number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        if province is not None and values.get("province") is None:
            values["province"] = province
        code = values.get("university_code")
        if code is None:
            values["university_code"] = own
        elif code != own:
            errors.append(
                RowError(
                    number,
                    label,
                    code,
                    f"{label}“{code}”不是本校的记录：只能导入本校（{own}）的记录，可留空",
                    f"university_code {code}: not this university's record (this token "
                    f"imports those of {own} only; leave it blank or give {own})",
                )
            )

    return check


def _department_check(own: str, labels: dict[str, str]) -> RowCheck:
    """A province's rows: its department's, in its own province, each 台账编号 once (the
    database keeps a 台账编号 unique per university only, and these have none)."""
    university, ref_label = labels["university_code"], labels["external_ref"]
    in_province = _province_check(own, labels["province"])
    seen: set[str] = set()

    def check(number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        code = values.get("university_code")
        if code is not None:
            errors.append(
                RowError(
                    number,
                    university,
                    code,
                    f"{university}“{code}”：省级教育行政部门导入的是本部门的记录，请留空"
                    "（高校的记录由高校自己导入）",
                    f"university_code {code}: a province imports its department's records; "
                    "leave it blank (a university imports its own)",
                )
            )
        in_province(number, values, errors)
        ref = values.get("external_ref")
        if ref is not None:
            if ref in seen:
                errors.append(
                    RowError(
                        number,
                        ref_label,
                        ref,
                        f"{ref_label}“{ref}”在文件中重复出现",
                        f"external_ref {ref} appears twice in the file",
                    )
                )
            seen.add(ref)

    return check


def _province_check(own: str, label: str) -> RowCheck:
    """A province's rows: in its own province (a blank province is its own)."""

    def check(number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        given = values.get("province")
        if given is None:
            values["province"] = own
        elif given != own:
            errors.append(
                RowError(
                    number,
                    label,
                    given,
                    f"{label}“{given}”不是本省的记录：只能导入本省（{own}）的记录，可留空",
                    f"province {given}: not this province's record (this token imports those "
                    f"of {own} only; leave it blank or give {own})",
                )
            )

    return check
