"""Who a bearer token stands for, known to this process for a while, so that a request costs
no round trip to the database to find out.

Each entry is kept under the SHA-256 of the token (never the token itself) with the credentials
epoch read before the database was asked (app/core/epochs.py). Every change to an account or
an API token (a revocation, a disabled account, a new password, a permission) moves the epoch
once it has committed, by whichever process made it on this machine, `jobfair token revoke`
included: the next request, in any worker, finds its entry out of date and asks the database,
which refuses it. An entry also expires after PRINCIPAL_CACHE_SECONDS (a change made from
another machine, or around the service, is seen then), and never outlives a sign-in's expiry.
"""

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, replace

from app.auth.service import Bearer, now
from app.core import epochs
from app.core.settings import get_settings

# A bound on memory: past it, the oldest tenth is let go.
MAX_ENTRIES = 100_000


@dataclass(frozen=True)
class _Known:
    bearer: Bearer
    epoch: int
    known_until: float


_known: dict[bytes, _Known] = {}
_lock = threading.Lock()


def _key(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def epoch() -> int | None:
    """Read before the database is asked; None: nothing is kept."""
    if get_settings().principal_cache_seconds == 0:
        return None
    return epochs.current(epochs.CREDENTIALS)


def lookup(token: str) -> Bearer | None:
    known = _known.get(_key(token))
    if known is None:
        return None
    if known.epoch != epochs.current(epochs.CREDENTIALS) or time.monotonic() > known.known_until:
        _known.pop(_key(token), None)
        return None
    return known.bearer


def remember(token: str, bearer: Bearer, epoch: int | None) -> None:
    """What the database answered for `token`, as of `epoch` (None: not kept)."""
    if epoch is None:
        return
    lifetime = get_settings().principal_cache_seconds
    if bearer.expires_at is not None:
        lifetime = min(lifetime, (bearer.expires_at - now()).total_seconds())
    known = _Known(bearer, epoch, time.monotonic() + lifetime)
    with _lock:
        if len(_known) >= MAX_ENTRIES:
            for oldest in list(_known)[: MAX_ENTRIES // 10]:
                _known.pop(oldest, None)
        _known[_key(token)] = known


def touched(token: str, when: dt.datetime) -> None:
    """The API token's last use is being noted now: not again from this process for a while."""
    known = _known.get(_key(token))
    if known is not None:
        _known[_key(token)] = replace(known, bearer=replace(known.bearer, last_used_at=when))


def forget_all() -> None:
    """Tests: each runs on a database of its own making."""
    with _lock:
        _known.clear()
