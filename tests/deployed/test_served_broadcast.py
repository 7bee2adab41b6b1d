"""Two instances as if on two machines (each its own EPOCHS_DIR, as each machine has its own
/dev/shm), on one database, keeping answers in memory for ten minutes: with
EPOCHS_BROADCAST_URL, a write through one changes the next answer of the other at once; without
it, the other keeps answering what it had (which is why the setting exists)."""

import json
import secrets
import time

import pytest
from cryptography.fernet import Fernet

from tests import factories as f
from tests.deployed.ledger import Registry
from tests.deployed.server import ServedApp, running
from tests.redis_service import redis_url

SUMMARY = "/api/v1/stats/summary"
# Enough requests, each on a connection of its own, that both workers of an instance answer.
REQUESTS = 12


def _machines(database, tmp_path_factory, broadcast: bool) -> list[ServedApp]:
    shared = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
        "ANSWER_CACHE_SECONDS": "600",
    }
    if broadcast:
        shared["EPOCHS_BROADCAST_URL"] = redis_url()
    machines = []
    for name in "ab":
        epochs_dir = tmp_path_factory.mktemp(f"shm-{name}")
        machines.append(
            ServedApp(tmp_path_factory.mktemp(name), database, EPOCHS_DIR=str(epochs_dir), **shared)
        )
    return machines


@pytest.fixture(scope="module", params=[True, False], ids=["broadcast", "alone"])
def machines(request, database, tmp_path_factory):
    with running(_machines(database, tmp_path_factory, request.param)) as apps:
        yield request.param, apps


@pytest.fixture(scope="module")
def registry(database, tmp_path_factory) -> Registry:
    """Universities and employers, written once for both arrangements."""
    app = ServedApp(tmp_path_factory.mktemp("registering"), database)
    app.start()
    try:
        with app.client(app.token("national", "registering")) as client:
            registry = Registry()
            registry.register(client)
    finally:
        app.stop()
    return registry


def _visits(app: ServedApp, token: str) -> set[int]:
    """The visits in the summary as answered by each of the instance's workers (REQUESTS
    requests, each on a connection of its own, reach them all)."""
    seen = set()
    for _ in range(REQUESTS):
        with app.client(token) as client:
            answer = client.get(SUMMARY)
        assert answer.status_code == 200, answer.text
        seen.add(json.loads(answer.content)["figures"]["visits"])
    return seen


def test_a_write_on_one_machine_changes_the_others_kept_answers(registry, machines):
    broadcast, (a, b) = machines
    token = a.token("national", "two machines")
    (before,) = _visits(b, token)  # kept now, by each of b's workers
    with a.client(token) as client:
        visit = f.visit(registry.universities[0], registry.employers[0], notes="machine a")
        assert client.post("/api/v1/visits", json=visit).status_code == 201
    time.sleep(0.5)  # the message's way
    assert _visits(b, token) == ({before + 1} if broadcast else {before})
