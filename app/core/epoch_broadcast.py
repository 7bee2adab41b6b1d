"""Epochs moved on one machine, heard on every other (EPOCHS_BROADCAST_URL, a Redis).

The epochs themselves stay in each machine's shared memory (epochs.py), read without a round
trip. A process that moves one also publishes it on a Redis channel named after the database;
every process that reads them listens there and moves its machine's copy on each message, so
that an answer or a token cached on machine B is let go of a moment (the message's way, a
millisecond or so) after machine A's commit, not ANSWER_CACHE_SECONDS later.

A process that is not listening cannot know what it missed: until it has subscribed, and
whenever the subscription breaks, it keeps nothing (`current` answers None, as where epochs
cannot be shared at all); once subscribed again it moves every epoch, since anything may have
changed meanwhile. A move whose message cannot be sent is logged: the other machines' readers
have lost the same Redis, and keep nothing until they hear from it again.
"""

import logging
import os
import threading
import time

import redis

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
SOCKET_SECONDS = 2.0
POLL_SECONDS = 1.0
HEALTH_CHECK_SECONDS = 5


class Broadcast:
    """The channel of one database's epochs: `publish` a move; `listening` while subscribed,
    each message handed to `on_move(slot)` from a daemon thread."""

    def __init__(self, url: str, channel: str, on_move, slots: tuple[int, ...]) -> None:
        self.url, self.channel, self.on_move, self.slots = url, channel, on_move, slots
        self._client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
        )
        self._subscribed = threading.Event()
        self._pid: int | None = None
        self._starting = threading.Lock()

    def publish(self, slot: int) -> None:
        try:
            self._client.publish(self.channel, str(slot))
        except redis.RedisError as error:
            log.warning("an epoch's move was not broadcast: %s", error.__class__.__name__)

    def listening(self) -> bool:
        """Subscribed now (the listener started on first asking, in each process)."""
        if self._pid != os.getpid():
            self._start()
        return self._subscribed.is_set()

    def _start(self) -> None:
        with self._starting:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._subscribed.clear()
            threading.Thread(target=self._listen_forever, name="epochs", daemon=True).start()

    def _listen_forever(self) -> None:
        while True:
            try:
                self._listen()
            except (redis.RedisError, OSError) as error:
                if self._subscribed.is_set():
                    log.warning("epochs' broadcast lost (%s): keeping nothing", error)
                self._subscribed.clear()
            time.sleep(RETRY_SECONDS)

    def _listen(self) -> None:
        # Polled, so that redis-py pings a quiet channel (health_check_interval) and a Redis
        # gone silent is found within seconds, not when TCP gives up.
        client = redis.Redis.from_url(
            self.url,
            socket_timeout=SOCKET_SECONDS,
            socket_connect_timeout=SOCKET_SECONDS,
            health_check_interval=HEALTH_CHECK_SECONDS,
        )
        with client.pubsub(ignore_subscribe_messages=False) as subscription:
            subscription.subscribe(self.channel)
            while True:
                message = subscription.get_message(timeout=POLL_SECONDS)
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    for slot in self.slots:  # whatever was missed while not listening
                        self.on_move(slot)
                    self._subscribed.set()
                elif message["type"] == "message":
                    self.on_move(int(message["data"]))
