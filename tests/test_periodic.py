"""The repeated work behind the web's folder and the worker's folder and housekeeper: a round
that fails is logged and tried again, never ends the thread."""

import logging
import threading

from sqlalchemy.exc import OperationalError

from app.core.periodic import Periodic


def _rounds(failures: list[Exception], done: threading.Event):
    taken: list[int] = []

    def work() -> None:
        taken.append(len(taken))
        if failures:
            raise failures.pop(0)
        done.set()

    return taken, work


def test_a_failed_round_is_logged_and_the_work_tried_again(caplog):
    done = threading.Event()
    busy = OperationalError("SELECT 1", {}, Exception("database is locked"))
    taken, work = _rounds([busy, ValueError("a bug")], done)
    periodic = Periodic("housekeeping", work, every=0.01)
    with caplog.at_level(logging.INFO, logger="app.core.periodic"):
        periodic.start()
        assert done.wait(timeout=10)
        periodic.stop()
    assert taken[:3] == [0, 1, 2]
    messages = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert messages[:2] == [
        ("WARNING", "housekeeping postponed: OperationalError"),
        ("ERROR", "housekeeping failed; trying again later"),
    ]
    assert caplog.records[1].exc_info[0] is ValueError


def test_waiting_first_spares_the_first_round_until_the_interval():
    done = threading.Event()
    taken, work = _rounds([], done)
    periodic = Periodic("folding", work, every=60, wait_first=True)
    periodic.start()
    periodic.stop()  # well before the minute: the work never ran
    assert taken == []
    eager = Periodic("folding", work, every=60)
    eager.start()
    assert done.wait(timeout=10)
    eager.stop()  # stops at once, though its next round is a minute away
    assert taken == [0]
