"""Rate limits: requests per token; failed sign-ins per username and client address; requests
with a bad token per client address (a good token from the same address, a campus behind one
NAT, is not held back). Counted in this process's memory (with two workers, each counts its
own) over a sliding window of a minute, kept as two counters a key, so that thousands of
tokens cost little memory."""

import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from app.auth.principal import Principal
from app.core.errors import RateLimited
from app.core.settings import get_settings

SWEEP_SECONDS = 60


class _CountersInMemory(MemoryStorage):
    """limits' memory storage, swept of expired counters once a minute on the way, instead of
    by a timer thread started every 10 ms while requests arrive: under load each start waited a
    millisecond or more for the GIL, on the request's path. A counter read after its expiry is
    dropped at once (MemoryStorage.get), so the sweep only bounds memory."""

    def __init__(self) -> None:
        super().__init__()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # Replaces MemoryStorage's private __schedule_expiry (limits is pinned; tests/test_limits.py
    # checks that no thread is started and that expired counters go).
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()


_storage = _CountersInMemory()
_window = SlidingWindowCounterRateLimiter(_storage)


def _per_token() -> RateLimitItem:
    return RateLimitItemPerMinute(get_settings().rate_limit_per_minute)


def _failures() -> RateLimitItem:
    return RateLimitItemPerMinute(get_settings().failed_logins_per_minute)


def _refuse(item: RateLimitItem, key: tuple[str, str], detail: str) -> None:
    reset_at = _window.get_window_stats(item, *key).reset_time
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise RateLimited(f"{detail} Retry in {retry_after} s.", retry_after=retry_after)


def spend_request(principal: Principal) -> None:
    """Count a request of the token's; 429 once it has made its minute's allowance."""
    item = _per_token()
    key = ("token", principal.actor)
    if not _window.hit(item, *key):
        _refuse(item, key, f"More than {item.amount} requests a minute.")


def refuse_while_failing(kind: str, key: str) -> None:
    """429 for `key` (a client address, or an address and a username) once it has failed too
    often in the last minute."""
    item = _failures()
    if not _window.test(item, kind, key):
        _refuse(item, (kind, key), f"Too many failed {kind} attempts.")


def count_failure(kind: str, key: str) -> None:
    _window.hit(_failures(), kind, key)


def reset() -> None:
    """Forget every count (tests)."""
    _storage.reset()
