"""The groups every record is counted in, in SQL: the nation, its province, its university
(within the province, and wherever the record lies); all industries and its own; and, for some
records, a slice (an event's kind, a vacancy's source or policy program)."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import CTE, ColumnElement, Integer, String, cast, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

# Stands for "no value" in a group key: an event of no university or industry focus, a vacancy
# of no policy program. The breakdowns answer it as the group whose code is null.
NONE = "-"


@dataclass(frozen=True)
class Group:
    """One of the groups every record is counted in: a level (0 the nation, 1 the province, 2
    the university within the province, 3 the university wherever the record lies), all
    industries or each its own, no slice or one (a column, as 'column:value')."""

    level: int
    # The records' columns whose values tell this group's instances apart.
    columns: tuple[str, ...]
    piece: str = ""

    def keys(self, table) -> list[ColumnElement]:
        """The group's key columns, from `table`'s columns."""
        blank = literal("", String)
        keys = {"slice": blank, "industry": blank, "province": blank, "university": blank}
        keys |= {name: valued(table.c[name]) for name in self.columns if name != self.piece}
        if self.piece:
            keys["slice"] = valued(table.c[self.piece], f"{self.piece}:")
        level = literal(self.level, Integer).label("level")
        return [level, *(column.label(name) for name, column in keys.items())]

    def varying(self, table) -> list[ColumnElement]:
        return [table.c[name] for name in self.columns]


def valued(column, prefix: str = "") -> ColumnElement:
    """A group's key: the column's value, or NONE for none, after `prefix`."""
    value = func.coalesce(cast(column, String), NONE)
    return literal(prefix, String).op("||")(value) if prefix else value


class bytewise(FunctionElement):
    """A text column compared byte by byte, as SQLite always does. PostgreSQL sorts by the
    database's collation unless told otherwise; under any but "C" it compares each pair of
    strings through the C library and cannot shortcut with abbreviated keys, which is
    slower. Equal stays equal (collations are deterministic): only the order of the groups
    changes, which nothing here reads."""

    type = String()
    inherit_cache = True


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element, compiler, **kw) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(bytewise)
def _bytewise(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@dataclass(frozen=True)
class Cells:
    """Records (already filtered, so that the database starts from the few rows a write
    touches), and how they are sliced: by the columns `slices`, at the levels below
    `sliced_levels`."""

    records: CTE
    slices: tuple[str, ...] = ()
    sliced_levels: int = 4

    def groups(self) -> Iterator[Group]:
        places = ((), ("province",), ("province", "university"), ("university",))
        for level, place in enumerate(places):
            slices = self.slices if level < self.sliced_levels else ()
            for industry in ((), ("industry",)):
                yield Group(level, (*industry, *place))
                for piece in slices:
                    yield Group(level, (*industry, *place, piece), piece)
