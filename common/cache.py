"""Django's Redis cache backend, with one client object per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every operation: a few dozen Python objects and the client's table of ~170 response
callbacks, ~0.05 ms each time (cProfile on the bench: 135,200 ``__setitem__`` calls for 200
post pages, four cache reads a page). A client is only a handle on its pool and redis-py
documents it as safe to share between threads, so this backend keeps one per pool; the pools
are Django's own. Settings select it for ``CACHE_URL=redis://`` / ``rediscache://``.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # its private helpers are not in django-stubs
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django_client._get_connection_pool(write)
            client = self._clients[index] = django_client._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    """``RedisCache`` whose operations share their pool's client."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


def forget_now_and_on_commit(keys: list[str]) -> None:
    """Drop ``keys`` from the cache now and again once the transaction commits (at once
    outside one): a request that read the rows between the two, before the commit, may
    have kept what it read. For counts and names the services keep in the cache."""
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _redis_client() -> Any | None:
    """The default cache's Redis client (production: ``CACHE_URL=redis://``), else None."""
    backend: Any = caches["default"]  # its private client is not in django-stubs
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)


def list_push(name: str, value: str) -> int | None:
    """Append ``value`` to the list ``name`` in the shared cache (Redis ``RPUSH``, one round
    trip) and return the list's new length; None when the cache is not Redis (a list there
    would not be shared with a worker)."""
    client = _redis_client()
    if client is None:
        return None
    return int(client.rpush(cache.make_key(name), value))


def list_pop(name: str, count: int) -> list[str]:
    """Take up to ``count`` values from the head of the list ``name`` (Redis ``LPOP`` with a
    count: each value goes to one caller only, even with callers running at once)."""
    client = _redis_client()
    if client is None:
        return []
    values = client.lpop(cache.make_key(name), count) or []
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]
