"""Epochs heard across machines (EPOCHS_BROADCAST_URL): a move published on one is moved on
every listener; a process that is not listening keeps nothing. On the Redis of
tests/redis_service.py; tests/deployed/test_served_broadcast.py runs two instances."""

import time
import uuid

import pytest

from app.core import epochs
from app.core.epoch_broadcast import Broadcast
from app.core.settings import Settings, get_settings
from tests.redis_service import redis_url


def _until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_move_published_on_one_machine_is_heard_on_another():
    url, channel = redis_url(), f"test:{uuid.uuid4().hex}"
    heard_there: list[int] = []
    here = Broadcast(url, channel, lambda slot: None, (0, 1))
    there = Broadcast(url, channel, heard_there.append, (0, 1))
    assert _until(there.listening)
    assert heard_there == [0, 1]  # on subscribing: whatever was missed before
    here.publish(1)
    assert _until(lambda: heard_there == [0, 1, 1])


def test_a_broadcast_that_cannot_be_heard_keeps_nothing_and_loses_no_write(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "epochs_dir", tmp_path)
    monkeypatch.setattr(get_settings(), "database_url", f"sqlite:///{tmp_path / 'own.db'}")
    assert epochs.current(epochs.FIGURES) == 0  # alone: kept under the machine's epoch
    monkeypatch.setattr(get_settings(), "epochs_broadcast_url", "redis://127.0.0.1:1/0")
    epochs.move(epochs.FIGURES)  # the message is lost, the move here is not
    assert epochs.current(epochs.FIGURES) is None
    monkeypatch.setattr(get_settings(), "epochs_broadcast_url", None)
    assert epochs.current(epochs.FIGURES) == 1


def test_a_listening_process_caches_under_epochs_its_peers_move(monkeypatch, tmp_path):
    url = redis_url()
    monkeypatch.setattr(get_settings(), "epochs_dir", tmp_path)
    monkeypatch.setattr(get_settings(), "database_url", f"sqlite:///{tmp_path / 'peers.db'}")
    monkeypatch.setattr(get_settings(), "epochs_broadcast_url", url)
    assert _until(lambda: epochs.current(epochs.CREDENTIALS) is not None)
    before = epochs.current(epochs.CREDENTIALS)
    channel = f"jobfair:epochs:{epochs._identity(get_settings().database_url)}"
    peer = Broadcast(url, channel, lambda slot: None, ())
    peer.publish(epochs.CREDENTIALS)  # another machine's move
    assert _until(lambda: epochs.current(epochs.CREDENTIALS) == before + 1)


def test_the_broadcast_is_a_redis():
    with pytest.raises(ValueError, match="EPOCHS_BROADCAST_URL"):
        Settings(epochs_broadcast_url="memory://")
