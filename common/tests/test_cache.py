"""common.cache.PortalRedisCache against the real Redis: Django's Redis backend, with one
client object per pool, shared by the operations and by threads."""

import os
import threading

import pytest

from common.cache import PortalRedisCache

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    backend = PortalRedisCache(TEST_REDIS_URL, {"KEY_PREFIX": f"test-cache-{os.getpid()}"})
    yield backend
    backend.clear()
    backend.close()


def test_operations_share_one_client(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("a", {"n": 1}, 30)
    assert redis_cache.get("a") == {"n": 1}
    assert redis_cache.add("a", 2, 30) is False
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"n": 1}, "n": 2}
    redis_cache.delete_many(["a", "n"])
    assert redis_cache.get("a", "gone") == "gone"
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: one pool


def test_threads_share_the_client(redis_cache):
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(50):
                redis_cache.set(f"t{i}:{j}", j, 30)
                assert redis_cache.get(f"t{i}:{j}") == j
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert redis_cache.get("t3:49") == 49
