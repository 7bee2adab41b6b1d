"""Redis for the tests of the limits shared between instances: 127.0.0.1:6379 (REDIS_TEST_URL),
a database of the tests' own, emptied first. Skipped where no Redis answers, unless
JOBFAIR_REDIS_TESTS=required (as in .ci/run)."""

import os

import pytest
import redis

DEFAULT_URL = "redis://127.0.0.1:6379/15"


def redis_url() -> str:
    url = os.environ.get("REDIS_TEST_URL", DEFAULT_URL)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
        client.close()
    except redis.RedisError as error:
        missing = f"no Redis answers at {url}: {error}"
        if os.environ.get("JOBFAIR_REDIS_TESTS") == "required":
            pytest.fail(f"the Redis tests are required here, but {missing}")
        pytest.skip(missing)
    return url
