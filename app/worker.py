"""`jobfair worker` (BACKGROUND_WORK=worker, PostgreSQL): the work that runs after the answer,
taken off the web instances. Any number of workers beside any number of instances:

- imports: the queued jobs (app/imports/queue.py), one at a time per worker, each claimed by
  one worker only;
- folds of bulk-loaded vacancies into the kept figures, every FOLD_EVERY_SECONDS, by one
  process at a time (app/stats/folding.py);
- housekeeping, every minute: jobs whose worker died marked interrupted, files no job needs
  deleted, expired Idempotency-Keys forgotten.

SIGTERM (or Ctrl+C) stops it: a running import rolls back at its next batch and goes back to
the queue for another worker; a second signal ends the process at once (which loses nothing
either: the job is found without its lease and marked interrupted).
"""

import logging
import signal

from sqlalchemy.orm import Session, sessionmaker

from app.core import idempotency
from app.core.db import DATABASE_ERRORS, transactional
from app.core.periodic import Periodic
from app.core.shutdown import stopping
from app.imports import tasks as imports
from app.stats.folding import BackgroundFolder

log = logging.getLogger("jobfair.worker")

# How often an idle worker looks for a queued import.
POLL_SECONDS = 0.5
HOUSEKEEPING_SECONDS = 60.0
READY = "worker ready"


def keep_house(factory: sessionmaker[Session]) -> None:
    imports.keep_house(factory)
    with transactional(factory, writing=True) as session:
        if forgotten := idempotency.forget_expired(session):
            log.info("forgot %d expired Idempotency-Keys", forgotten)


def run(factory: sessionmaker[Session], fold_every: float) -> None:
    """Work until SIGTERM or Ctrl+C."""
    _stop_on_signals()
    folder = BackgroundFolder(factory, fold_every) if fold_every > 0 else None
    housekeeper = Periodic("housekeeping", lambda: keep_house(factory), HOUSEKEEPING_SECONDS)
    for thread in (folder, housekeeper):
        if thread:
            thread.start()
    log.info(READY)
    try:
        while not stopping.is_set():
            if not _run_one(factory):
                stopping.wait(POLL_SECONDS)
    finally:
        for thread in (folder, housekeeper):
            if thread:
                thread.stop()
        log.info("worker stopped")


def _run_one(factory: sessionmaker[Session]) -> bool:
    try:
        return imports.run_next(factory)
    except DATABASE_ERRORS as error:
        log.warning("imports postponed: %s", error.__class__.__name__)
        return False


def _stop_on_signals() -> None:
    def on_signal(number: int, _frame) -> None:
        if stopping.is_set():  # asked twice: at once
            signal.signal(number, signal.SIG_DFL)
            signal.raise_signal(number)
        log.info("stopping: the running import, if any, goes back to the queue")
        stopping.set()

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, on_signal)
