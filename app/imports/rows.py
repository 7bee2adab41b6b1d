"""From a ledger's header and rows to field values, and the problems of each bad row."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.imports.columns import CellError, Column, columns_of
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


@dataclass(frozen=True)
class Layout:
    """Which column of the ledger feeds which field."""

    positions: list[tuple[int, Column]]
    ignored: list[str]
    # Columns the ledger leaves out: their defaults.
    defaults: dict[str, Any]


def layout_of(kind: str, header: list[str]) -> Layout:
    """The ledger's columns by their Chinese label or field name, in any order. A required
    column missing, or a column given twice, refuses the file."""
    columns = columns_of(kind)
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
    defaults = {c.field: c.default for c in columns if c.field not in seen}
    return Layout(positions, ignored, defaults)


def parsed_rows(
    ledger: Ledger, layout: Layout
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """Each row as (row number, field values, errors); a row with errors has partial values."""
    for number, row in ledger.rows:
        values: dict[str, Any] = dict(layout.defaults)
        errors: list[RowError] = []
        for position, column in layout.positions:
            cell = row[position] if position < len(row) else None
            try:
                values[column.field] = column.value(cell)
            except CellError as error:
                errors.append(
                    RowError(number, column.label, _shown(cell), error.chinese, error.english)
                )
        yield number, values, errors


def _shown(cell: Any) -> str | None:
    if cell is None:
        return None
    text = str(cell)
    return text if len(text) <= 200 else text[:200] + "…"
