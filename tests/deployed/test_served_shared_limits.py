"""Limits shared by every instance: two `jobfair serve` instances (two workers each) on one
database, counting in one Redis (RATE_LIMIT_STORAGE_URL), hold a token to its limit together;
with a Redis that does not answer, an instance refuses to start."""

import itertools

import pytest
from cryptography.fernet import Fernet

from tests.deployed.server import ServedApp
from tests.redis_service import redis_url

LIMIT = 20


@pytest.fixture(scope="module")
def settings() -> dict[str, str]:
    return {
        "RATE_LIMIT_STORAGE_URL": redis_url(),
        "RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
    }


def test_a_tokens_limit_holds_across_two_instances(database, settings, tmp_path_factory):
    instances = [ServedApp(tmp_path_factory.mktemp("instance"), database, **settings) for _ in "ab"]
    for instance in instances:
        instance.start()
    try:
        token = instances[0].token("reader", "two instances")
        clients = [instance.client(token) for instance in instances]
        answers = [
            client.get("/api/v1/reference/provinces").status_code
            for client in itertools.islice(itertools.cycle(clients), LIMIT + 4)
        ]
        for client in clients:
            client.close()
    finally:
        for instance in instances:
            instance.stop()
    assert answers == [200] * LIMIT + [429] * 4


def test_an_instance_whose_redis_does_not_answer_refuses_to_start(database, settings, tmp_path):
    unreachable = {**settings, "RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:1/0"}
    instance = ServedApp(tmp_path, database, **unreachable)
    with pytest.raises(AssertionError, match="does not answer"):
        instance.start()
    instance.stop()
