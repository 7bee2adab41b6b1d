"""The groups every record is counted in, in SQL: the nation, its province, its university
(within the province, and wherever the record lies); all industries and its own; and, for some
records, a slice (an event's kind, a vacancy's source or policy program)."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    true,
    union_all,
)
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


def spread_across(cells: Cells) -> Select:
    """Each record once in each of its groups, as one statement: the records joined with the
    levels, industries and slices. Cheap to build, for the few records a write touches;
    `Cells.groups` serves whole tables, where one aggregate of every spread row would cost
    more than one per group."""
    base = cells.records
    level, industry = _variants("l", 4), _variants("j", 2)
    columns = [
        level.c.l.label("level"),
        literal("", String).label("slice"),
        case((industry.c.j == 0, ""), else_=valued(base.c.industry)).label("industry"),
        case((level.c.l.in_((0, 3)), ""), else_=base.c.province).label("province"),
        case((level.c.l >= 2, valued(base.c.university)), else_="").label("university"),
        base.c.day,
        *(base.c[name] for name in ("measure", "entity", "n") if name in base.c),
    ]
    query = select(*columns).select_from(base).join(level, true()).join(industry, true())
    if not cells.slices:
        return query
    sliced = _variants("k", len(cells.slices) + 1)
    pieces = (valued(base.c[name], f"{name}:") for name in cells.slices)
    columns[1] = case(
        *((sliced.c.k == n, piece) for n, piece in enumerate(pieces, 1)), else_=""
    ).label("slice")
    query = query.with_only_columns(*columns).join(sliced, true())
    if cells.sliced_levels < 4:
        query = query.where((sliced.c.k == 0) | (level.c.l < cells.sliced_levels))
    return query


def _variants(name: str, count: int):
    numbers = (select(literal(n, Integer).label(name)) for n in range(count))
    return union_all(*numbers).subquery(name)
