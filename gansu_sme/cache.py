"""The cache backend: Django's Redis cache that keeps the site serving while Redis is down.

Everything the cache holds can be recomputed or lost (import progress, parsed sheets kept for a
confirmation, throttle counts), so with Redis unreachable a read answers "not cached" and a
write is dropped, logged once a minute, instead of turning every page into a server error.
``incr`` and ``decr`` still raise: a caller counting something must decide what an outage means.
Connections time out within a second or two (settings: CACHES OPTIONS), so a page never hangs.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
_LOG_EVERY = 60.0
_last_logged = 0.0


def cache_unavailable(operation, exc):
    """Log, at most once a minute, that Redis could not be reached for ``operation``."""
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY:
        _last_logged = now
        logger.warning("Cache unavailable (%s: %s); serving without it", operation, exc)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            cache_unavailable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            cache_unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            cache_unavailable("has_key", exc)
            return False

    def set(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().set(key, value, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            cache_unavailable("set", exc)

    def add(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().add(key, value, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            cache_unavailable("add", exc)
            return False

    def set_many(self, data, timeout=None, version=None, **kwargs):
        try:
            return super().set_many(data, timeout, version, **kwargs)
        except UNAVAILABLE as exc:
            cache_unavailable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            cache_unavailable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            cache_unavailable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            cache_unavailable("delete_many", exc)
