"""Django's Redis cache, keeping one Redis client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` object (and its table of about 170
response callbacks) for every cache call; a patient page makes several. A `redis.Redis` is
safe to share (it borrows a connection from its pool for each command), so keep one per pool.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
