"""Stopping on SIGTERM (or Ctrl+C): uvicorn stops taking connections and lets the requests in
flight finish; work that runs long after its answer (an import) is told here to stop at its
next step, so that it rolls back and says so instead of holding the shutdown for minutes.

uvicorn installs its own handlers before the application starts; ours is put in front of
theirs at start-up and hands every signal on to them.
"""

import signal
import threading
from types import FrameType

stopping = threading.Event()

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def install_stop_signal() -> None:
    """Set `stopping` on SIGTERM and SIGINT, then do what was done before. Only the main
    thread may handle signals: elsewhere (an app under test) nothing is installed."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in _SIGNALS:
        signal.signal(number, _chained(signal.getsignal(number)))


def _chained(previous):
    def on_signal(number: int, frame: FrameType | None) -> None:
        stopping.set()
        if callable(previous):
            previous(number, frame)
        elif previous == signal.SIG_DFL:
            signal.signal(number, signal.SIG_DFL)
            signal.raise_signal(number)

    return on_signal
