"""The bulk write path: many rows into one table in one transaction, as fast as the database
allows (COPY on PostgreSQL, executemany on SQLite). Ledger imports and the campaign generator
write through here, so whatever every bulk write must also do is done in one place."""

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from itertools import islice

from sqlalchemy import JSON, Table, func, select, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from app.core import epochs

BATCH_ROWS = 20_000
# An index built at once sorts its rows once: given memory, in memory.
INDEX_MEMORY = "1GB"


def _batches(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


_AS_IS = frozenset({str, int, float, bool, type(None), dt.date})


def _plain(value: object) -> object:
    if value.__class__ in _AS_IS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return _json(value)
    return value


def _json(value: list | dict) -> str:
    # Lists of majors repeat down a ledger: each distinct one is encoded once.
    if isinstance(value, list) and len(_JSON_SEEN) < 100_000:
        key = tuple(value)
        try:
            return _JSON_SEEN[key]
        except KeyError:
            _JSON_SEEN[key] = encoded = json.dumps(value, ensure_ascii=False)
            return encoded
        except TypeError:  # an item that cannot be a key
            pass
    return json.dumps(value, ensure_ascii=False)


_JSON_SEEN: dict[tuple, str] = {}


def _plain_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> Iterator:
    """Rows whose values the driver takes as they are. Only the columns that need it (enums,
    JSON) are converted: the others pass untouched, which matters at millions of rows."""
    converted = [
        i for i, name in enumerate(columns) if isinstance(table.c[name].type, SAEnum | JSON)
    ]
    if not converted:
        yield from rows
        return
    for row in rows:
        row = list(row)
        for i in converted:
            row[i] = _plain(row[i])
        yield row


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    meanwhile: Callable[[], None] | None = None,
) -> int:
    """Write `rows` (tuples in the order of `columns`) into `table`; answer how many.

    Values are Python values (dates, enums, lists for JSON columns). Constraints are checked by
    the database as for any insert; the caller's transaction decides whether they are kept.
    `meanwhile` is called once the rows are sent, while PostgreSQL is still storing them.
    """
    session.flush()
    epochs.wrote(session, table)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _copy(connection.connection.driver_connection, table, columns, rows, meanwhile)
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"
    written = 0
    for batch in _batches(rows, BATCH_ROWS):
        connection.exec_driver_sql(sql, [tuple(row) for row in _plain_rows(table, columns, batch)])
        written += len(batch)
    return written


def _copy(
    driver_connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    meanwhile: Callable[[], None] | None,
) -> int:
    import psycopg

    written = 0
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in _plain_rows(table, columns, rows):
                copy.write_row(row)
                written += 1
            if meanwhile is not None:
                meanwhile()
    except psycopg.IntegrityError as error:
        # As any other statement's would be: callers catch SQLAlchemy's exceptions.
        raise IntegrityError(statement, None, error) from error
    return written


def reserve_ids(
    session: Session, table: Table, count: int, held_exclusively: bool = False
) -> Sequence[int]:
    """`count` fresh ids for rows about to be bulk-written to `table` (whose key is `id`), so that
    other rows can point at them before they exist. `held_exclusively`: this transaction holds
    the table in ACCESS EXCLUSIVE mode (see indexes_deferred)."""
    if count <= 0:
        return range(0)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return _reserved_on_postgresql(session, table.name, count, held_exclusively)
    # SQLite has one writer at a time; this transaction is it once it writes.
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return range(start, start + count)


def _reserved_on_postgresql(
    session: Session, table: str, count: int, held_exclusively: bool
) -> Sequence[int]:
    values = {"table": table, "n": count}
    if held_exclusively:
        # Nobody else can take one of the table's ids meanwhile (every taker locks the table
        # first, below), so the block is taken at once, not an id at a time (2 µs each: half a
        # minute of a national load).
        sequence = "pg_get_serial_sequence(:table, 'id')"
        query = text(f"SELECT setval({sequence}, nextval({sequence}) + :n - 1)")
        last = session.scalar(query, values)
        return range(last - count + 1, last + 1)
    # As an insert does, before it takes an id: a load holding the table waits for nobody here.
    session.execute(text(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE"))
    # One row back, not `count`: the ids as an array, or only their ends when (as nearly
    # always) they are consecutive.
    query = text(
        "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = :n THEN NULL"
        " ELSE array_agg(id) END FROM (SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
        " AS id FROM generate_series(1, :n)) AS reserved"
    )
    first, last, scattered = session.execute(query, values).one()
    return scattered if scattered is not None else range(first, last + 1)


def insert_vacancies(
    session: Session,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    meanwhile: Callable[[], None] | None = None,
    held_exclusively: bool = False,
) -> int:
    """Vacancies (tuples in the order of `columns`, no id) through the bulk path. Their figures
    are current at once: they are read from the records until a fold counts them (see
    app/stats/pending.py), so the load itself writes nothing more than the records."""
    from app.stats.locks import share_loads
    from app.stats.pending import register
    from app.vacancies.models import Vacancy

    share_loads(session)  # no reclassification while they load (see app/stats/locks.py)
    table = Vacancy.__table__
    written = 0
    for batch in _batches(rows, BATCH_ROWS):
        ids = reserve_ids(session, table, len(batch), held_exclusively)
        numbered = ((number, *row) for number, row in zip(ids, batch, strict=True))
        written += insert_rows(session, table, ("id", *columns), numbered, meanwhile)
        # Registered a batch at a time, so that a fold can take a load of millions in steps.
        register(session, ids)
    return written


def _held_while_empty(session: Session, table: Table, referenced: list[Table]) -> bool:
    """Whether `table` is empty, then held alone (ACCESS EXCLUSIVE) until the transaction
    ends, with the tables its dropped foreign keys refer to (dropping one takes that lock on
    both). The locks come first, and only if no one else is using those tables at this moment:
    a table being written is not empty (its rows not yet committed are invisible here), and
    waiting for others while holding what they may need next would deadlock (a writer that
    has read an employer, then inserts a vacancy). Declined, the locks are let go of at once
    (a subtransaction's locks end with it)."""
    names = ", ".join([table.name, *sorted({other.name for other in referenced})])
    attempt = session.begin_nested()
    try:
        session.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE NOWAIT"))
        empty = session.scalar(select(text("1")).select_from(table).limit(1)) is None
    except OperationalError:  # a lock not available: others are using it
        empty = False
    if empty:
        attempt.commit()
    else:
        attempt.rollback()
    return empty


def indexes_deferred(
    session: Session, table: Table, written: Sequence[str]
) -> Callable[[], None] | None:
    """On PostgreSQL, when `table` is empty (the first national load into a fresh database):
    its plain indexes and foreign keys dropped in the caller's transaction, and a function that
    builds them again, to be called before it commits. As pg_restore does: an index built at
    once on millions of rows costs a fraction of keeping it row by row (scripts/bench_import.py:
    a million vacancies at 61,937 rows/s into a fresh database, 39,183 into a live one). Unique
    keys stay, so a clash is still found at the row that makes it. Until the transaction ends
    others wait to read the table (it was empty) and the tables of those foreign keys
    (employers, universities): deferred only if none is in use as the load starts. The table's definition is as before whatever
    happens: the rebuild checks every row against the foreign keys, and a rollback restores the
    indexes. A foreign key on columns the load leaves empty (not among `written`) stays: it has
    nothing to check. None when not deferred."""
    if session.connection().dialect.name != "postgresql":
        return None
    foreign_keys = [
        constraint
        for constraint in table.foreign_key_constraints
        if set(constraint.column_keys) & set(written)
    ]
    if not _held_while_empty(session, table, [fk.referred_table for fk in foreign_keys]):
        return None
    indexes = [index for index in table.indexes if not index.unique]
    for constraint in foreign_keys:
        session.execute(DropConstraint(constraint))
    for index in indexes:
        session.execute(DropIndex(index))

    def rebuild() -> None:
        session.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'"))
        for index in indexes:
            session.execute(CreateIndex(index))
        for constraint in foreign_keys:
            session.execute(AddConstraint(constraint))
        # The planner's statistics, for what comes next in the transaction (a recount, say):
        # ANALYZE samples the rows this transaction wrote too.
        session.execute(text(f"ANALYZE {table.name}"))

    return rebuild


@contextmanager
def indexes_built_afterwards(session: Session, tables: Sequence[Table]) -> Iterator[list[str]]:
    """Every column of `tables` written by the block (a generator filling a fresh database):
    the indexes of those that are empty, whose names it is given, built once it ends (see
    indexes_deferred)."""
    rebuilds = {}
    for table in tables:
        written = [column.name for column in table.columns]
        if rebuild := indexes_deferred(session, table, written):
            rebuilds[table.name] = rebuild
    yield list(rebuilds)
    for rebuild in rebuilds.values():
        rebuild()
