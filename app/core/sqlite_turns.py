"""SQLite's writers take turns fairly, whichever thread or process they are in.

SQLite has one writer at a time. Its own wait for the write lock (busy_timeout) asks again ever
more seldom, at last every 100 ms, and a thread that has just committed asks again at once:
under steady writes a writer that had waited long lost the lock to every newcomer, and waited
past DB_WAIT_SECONDS (a 503) while most waited milliseconds. So within a process writers queue
in the order they came, and only the first of them asks SQLite, every few milliseconds: across
processes, each one's first writer then has the same chance at each turn.
"""

import random
import sqlite3
import threading
import time
from collections import deque

from sqlalchemy import Connection

# How often the first waiting writer of a process asks for the write lock again, in seconds.
_RETRY = (0.002, 0.006)


class WriterQueue:
    """The writers of one process on one database file, in the order they came."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()

    def begin_writing(self, connection: Connection, wait_seconds: float) -> None:
        """BEGIN IMMEDIATE on `connection`, waiting at most `wait_seconds` for the writers
        before it; SQLAlchemy's OperationalError ("database is locked") past that."""
        deadline = time.monotonic() + wait_seconds
        driver = connection.connection.dbapi_connection
        me = object()
        with self._changed:
            self._waiting.append(me)
        driver.execute("PRAGMA busy_timeout = 0")
        try:
            if self._first(me, deadline) and _asked_until(driver, deadline):
                return
            # The last try through SQLAlchemy, so that a refusal is its OperationalError.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            driver.execute(f"PRAGMA busy_timeout = {int(wait_seconds * 1000)}")
            with self._changed:
                self._waiting.remove(me)
                self._changed.notify_all()

    def _first(self, me: object, deadline: float) -> bool:
        with self._changed:
            return self._changed.wait_for(
                lambda: self._waiting[0] is me, timeout=max(0.0, deadline - time.monotonic())
            )


def _asked_until(driver: sqlite3.Connection, deadline: float) -> bool:
    """Whether BEGIN IMMEDIATE succeeded, asked every few milliseconds until `deadline`."""
    while time.monotonic() < deadline:
        try:
            driver.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as refused:
            if "locked" not in str(refused).lower():
                return False
        time.sleep(random.uniform(*_RETRY))
    return False
