"""Rate limits: requests per token; failed sign-ins per username and client address; requests
with a bad token per client address (a good token from the same address, a campus behind one
NAT, is not held back). Counted over a sliding window of a minute, kept as two counters a key,
so that thousands of tokens cost little memory: in this process's memory by default (with two
workers, each counts its own), or in Redis (RATE_LIMIT_STORAGE_URL, limits' own storage),
shared by every worker and instance, so that the limit holds whatever their number.

Redis unreachable: a server refuses to start; while serving, a request is let through and the
outage logged (a limit against abuse must not take the service down with it)."""

import logging
import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
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


log = logging.getLogger(__name__)


class _Counters:
    """The storage of the configured URL, made on first use (and again if the URL changes)."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.storage: Storage | None = None
        self.window: SlidingWindowCounterRateLimiter | None = None

    def current(self) -> SlidingWindowCounterRateLimiter:
        url = get_settings().rate_limit_storage_url
        if url != self.url or self.window is None:
            storage = _CountersInMemory() if url.startswith("memory://") else _shared(url)
            self.url, self.storage = url, storage
            self.window = SlidingWindowCounterRateLimiter(storage)
        return self.window


def _shared(url: str) -> Storage:
    # Errors raised as limits' StorageError, whatever the client library's.
    return storage_from_string(
        url, wrap_exceptions=True, socket_connect_timeout=1, socket_timeout=1
    )


_counters = _Counters()


def require_storage() -> None:
    """At start: the counters' storage answers, or the server does not start."""
    _counters.current()
    if not _counters.storage.check():
        raise RuntimeError(
            f"RATE_LIMIT_STORAGE_URL: {_without_password(_counters.url)} does not answer; "
            "start it, or unset the setting to count in memory."
        )


def _without_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"


def _counted(call, *arguments) -> bool:
    try:
        return call(*arguments)
    except StorageError as error:
        log.error("rate limits not counted (storage unreachable): %s", error.storage_error)
        return True


def _per_token() -> RateLimitItem:
    return RateLimitItemPerMinute(get_settings().rate_limit_per_minute)


def _failures() -> RateLimitItem:
    return RateLimitItemPerMinute(get_settings().failed_logins_per_minute)


def _refuse(item: RateLimitItem, key: tuple[str, str], detail: str) -> None:
    try:
        reset_at = _counters.current().get_window_stats(item, *key).reset_time
    except StorageError:
        reset_at = time.time() + 60
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise RateLimited(f"{detail} Retry in {retry_after} s.", retry_after=retry_after)


def spend_request(principal: Principal) -> None:
    """Count a request of the token's; 429 once it has made its minute's allowance."""
    item = _per_token()
    key = ("token", principal.actor)
    if not _counted(_counters.current().hit, item, *key):
        _refuse(item, key, f"More than {item.amount} requests a minute.")


def refuse_while_failing(kind: str, key: str) -> None:
    """429 for `key` (a client address, or an address and a username) once it has failed too
    often in the last minute."""
    item = _failures()
    if not _counted(_counters.current().test, item, kind, key):
        _refuse(item, (kind, key), f"Too many failed {kind} attempts.")


def count_failure(kind: str, key: str) -> None:
    _counted(_counters.current().hit, _failures(), kind, key)


def reset() -> None:
    """Forget every count (tests)."""
    _counters.current()
    _counters.storage.reset()
