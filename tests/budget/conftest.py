"""A real redis-server on 127.0.0.1 for this package's tests (``tests/support/redis_server.py``): skipped on a
developer machine without one, a failure in CI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer.start() as server:
        yield server
