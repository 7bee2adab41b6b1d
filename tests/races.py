"""Transactions that really meet: writes on a database that commits, raced in two threads, and
the app answering over such a database (see the `committed` and `committing_client` fixtures
of conftest.py)."""

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session, sessionmaker

from app.core.db import transactional

Write = Callable[[Session], object]

# Long enough for a second writer to reach its write, were it not held back.
RACE_HEAD_START = 1.0


def writing(factory: sessionmaker[Session]) -> AbstractContextManager[Session]:
    """A transaction as a write request has it."""
    return transactional(factory, writing=True)


def race(
    factory: sessionmaker[Session], first: Write, second: Write
) -> tuple[bool, BaseException | None]:
    """Run `second` while `first` holds its transaction open; answer whether `second` had to
    wait for `first` to commit, and what it raised (its transaction then rolled back)."""
    raised: list[BaseException] = []

    def run_second() -> None:
        try:
            with writing(factory) as session:
                second(session)
        except BaseException as error:  # reported to the test's thread
            raised.append(error)

    with writing(factory) as session:
        first(session)
        session.flush()
        thread = threading.Thread(target=run_second)
        thread.start()
        thread.join(RACE_HEAD_START)
        waited = thread.is_alive()
    thread.join()
    return waited, (raised[0] if raised else None)
