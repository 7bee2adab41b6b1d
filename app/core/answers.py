"""Answers kept in this process's memory, for what every dashboard polls: the figures.

An answer is kept under what could change it: the route and its query, the caller's reach, and
the figures' epoch (app/core/epochs.py) read before the answer was computed. A poll whose
If-None-Match matches a kept answer is a 304 computed from nothing; an unchanged answer asked
again is its kept bytes. When several threads ask for the same missing answer at once, one
computes it and the others wait for it. Answers also expire after ANSWER_CACHE_SECONDS, and the
least recently used go first once the cache holds ANSWER_CACHE_MB.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from app.core import epochs
from app.core.etag import conditional_json, strong_etag
from app.core.settings import get_settings

Key = tuple


@dataclass(frozen=True)
class Kept:
    etag: str
    body: bytes
    made_at: float


class AnswerCache:
    def __init__(self, max_bytes: int, max_age: float) -> None:
        self._max_bytes, self._max_age = max_bytes, max_age
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Key, threading.Lock] = {}

    def get(self, key: Key) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if time.monotonic() - kept.made_at > self._max_age:
                self._drop(key)
                return None
            self._kept.move_to_end(key)
            return kept

    def get_or_compute(self, key: Key, compute: Callable[[], bytes]) -> Kept:
        """The kept answer, or one computed now, once, however many threads ask."""
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            kept = self.get(key)
            if kept is None:
                kept = self._put(key, compute())
        with self._lock:
            self._computing.pop(key, None)
        return kept

    def _put(self, key: Key, body: bytes) -> Kept:
        kept = Kept(strong_etag(body), body, time.monotonic())
        if len(body) > self._max_bytes:
            return kept
        with self._lock:
            if key in self._kept:
                self._drop(key)
            self._kept[key] = kept
            self._bytes += len(body)
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._kept)))
        return kept

    def _drop(self, key: Key) -> None:
        self._bytes -= len(self._kept.pop(key).body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0


_cache: AnswerCache | None = None


def cache() -> AnswerCache:
    global _cache
    if _cache is None:
        settings = get_settings()
        _cache = AnswerCache(settings.answer_cache_mb * 1024**2, settings.answer_cache_seconds)
    return _cache


async def figures_answer(request: Request, reach: str, compute: Callable[[], bytes]) -> Response:
    """The answer to `request` for a caller of `reach`: kept, or computed (in a worker thread)
    by `compute`, which reads the database only after the epoch has been read here."""
    epoch = epochs.current(epochs.FIGURES)
    if_none_match = request.headers.get("if-none-match")
    if epoch is None or get_settings().answer_cache_mb == 0:
        return conditional_json(await run_in_threadpool(compute), if_none_match)
    query = tuple(sorted(request.query_params.multi_items()))
    key = (request.url.path, query, reach, epoch)
    kept = cache().get(key)
    if kept is None:
        kept = await run_in_threadpool(cache().get_or_compute, key, compute)
    return conditional_json(kept.body, if_none_match, kept.etag)
