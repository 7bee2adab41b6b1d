"""Work repeated in a daemon thread: the web's folder and the worker's folder and housekeeper."""

import logging
import threading
from collections.abc import Callable

from app.core.db import DATABASE_ERRORS

log = logging.getLogger(__name__)


class Periodic:
    """`work` every `every` seconds until stopped. A failure is logged and the work tried again
    on its next round: the database busy (an import holds SQLite's write lock) or unreachable is
    a warning; anything else, with its traceback. `wait_first` spares a process that has just
    started (and its tests) a round before the first interval."""

    def __init__(
        self, name: str, work: Callable[[], None], every: float, *, wait_first: bool = False
    ) -> None:
        self._work, self._every, self._wait_first = work, every, wait_first
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        if self._wait_first and self._stopped.wait(self._every):
            return
        while True:
            try:
                self._work()
            except DATABASE_ERRORS as error:
                log.warning("%s postponed: %s", self._thread.name, error.__class__.__name__)
            except Exception:
                log.exception("%s failed; trying again later", self._thread.name)
            if self._stopped.wait(self._every):
                return
