"""Where a recount writes: tables built aside and swapped in whole (PostgreSQL), or the kept
tables emptied (SQLite).

Inserting millions of rows one by one into a table's indexes costs more than counting them:
each row descends every index. On PostgreSQL a recount therefore fills copies of the tables
with no index and no key, in a schema of its own, then builds their indexes once, sorted (by
parallel workers), and finally swaps them in for the old tables. It is all one transaction:
readers see the old figures until it commits, and the new ones after, and they wait only for
the swap itself. The copies are made from the models, so they are what the migrations made
(same columns, keys, indexes and names: `alembic check` holds after a recount).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData, Table, delete, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex

from app.core.db import Base
from app.imports.bulk import INDEX_MEMORY

ASIDE = "jobfair_recount"
SWAP_WAIT = "2s"
SWAP_PAUSE_SECONDS = 1.0
SWAP_ATTEMPTS = 60
LOCK_NOT_AVAILABLE = "55P03"


class RecountBlocked(Exception):
    def __init__(self, table: str) -> None:
        super().__init__(
            f"The recount could not take {table}'s place: a transaction kept it open for "
            f"over {SWAP_ATTEMPTS} attempts (see pg_stat_activity). Nothing was changed."
        )


@contextmanager
def fresh_tables(session: Session, tables: list[Table]) -> Iterator[list[Table]]:
    """Empty tables like `tables` to insert every row into; when the block ends, they are the
    tables."""
    if session.connection().dialect.name != "postgresql":
        for table in tables:
            session.execute(delete(table))
        yield tables
        return
    session.execute(text(f"DROP SCHEMA IF EXISTS {ASIDE} CASCADE"))
    session.execute(text(f"CREATE SCHEMA {ASIDE}"))
    copies = _copies(tables)
    for table, copy in zip(tables, copies, strict=True):
        session.execute(
            text(f"CREATE TABLE {_name(copy)} (LIKE {_name(table)} INCLUDING DEFAULTS)")
        )
    yield copies
    session.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'"))
    schema = session.scalar(text("SELECT current_schema()"))
    schema = session.connection().dialect.identifier_preparer.quote_schema(schema)
    for copy in copies:
        session.execute(AddConstraint(copy.primary_key))
        for index in copy.indexes:
            session.execute(CreateIndex(index))
    for table, copy in zip(tables, copies, strict=True):
        _swap(session, table, copy, schema)
    session.execute(text(f"DROP SCHEMA {ASIDE}"))


def _swap(session: Session, table: Table, copy: Table, schema: str) -> None:
    """The copy in the table's place. Dropping the table waits for its readers, and every
    reader that comes after waits behind the drop: so it waits SWAP_WAIT at a time, letting
    them through in between, and gives up after SWAP_ATTEMPTS (a transaction left open on
    the table, say)."""
    waiting = text("SELECT set_config('lock_timeout', :wait, true)")
    usual = session.scalar(text("SELECT current_setting('lock_timeout')"))
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with session.begin_nested():
                session.execute(waiting, {"wait": SWAP_WAIT})
                session.execute(text(f"DROP TABLE {_name(table)}"))
                session.execute(text(f"ALTER TABLE {_name(copy)} SET SCHEMA {schema}"))
                session.execute(waiting, {"wait": usual})
            return
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            if attempt == SWAP_ATTEMPTS:
                raise RecountBlocked(table.name) from error
            time.sleep(SWAP_PAUSE_SECONDS)


def _copies(tables: list[Table]) -> list[Table]:
    """The tables as they are declared, in the schema aside; the naming convention names their
    keys as the migrations did."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    return [table.to_metadata(metadata, schema=ASIDE) for table in tables]


def _name(table: Table) -> str:
    return f"{table.schema}.{table.name}" if table.schema else table.name
