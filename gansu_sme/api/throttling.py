"""Request rates for anonymous callers, signed-in users and API tokens, and objections: counted
atomically in Redis, per client address (oplog.clients.client_address) or per account.

DRF's own throttles read the request history from the cache, decide, and write it back: two
requests at once both read the same history, both pass, and one write is lost, so parallel
clients are never refused. Here one Lua script does the whole check-and-record inside Redis,
which runs scripts one at a time: however many web processes and threads ask at once, no more
than the limit pass in any window.
"""

import uuid

from django.core.cache import cache
from redis.commands.core import Script
from rest_framework import throttling
from rest_framework.settings import api_settings

from gansu_sme.cache import UNAVAILABLE, cache_unavailable
from oplog.clients import client_address

# A sliding window, as DRF's throttles keep it: a sorted set of the accepted requests' times
# (Redis's clock, in microseconds, the same for every web process). Returns {allowed, seconds
# until the oldest request leaves the window}. A refused request is not recorded.
SLIDING_WINDOW = Script(
    None,
    b"""
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tostring((tonumber(oldest[2]) + window - now) / 1000000)}
""",
)


def rate_allows(key: str, limit: int, seconds: int) -> tuple[bool, float]:
    """Count one request under ``key`` if fewer than ``limit`` were counted in the last
    ``seconds``; atomic across processes. Returns (allowed, seconds to wait when refused).

    The key lives in the cache's Redis under the cache's prefix. While Redis is unreachable
    nothing is counted and every request is let through: the site keeps serving (issue 13's
    fault rule), and sign-in has its own lock-out in the database.
    """
    name = cache.make_key(key)
    try:
        client = cache._cache.get_client(name, write=True)
        allowed, wait = SLIDING_WINDOW(
            keys=[name], args=[limit, seconds * 1_000_000, uuid.uuid4().hex], client=client
        )
    except UNAVAILABLE as exc:
        cache_unavailable("rate limit", exc)
        return True, 0.0
    return bool(allowed), float(wait)


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """A DRF throttle whose check and count are one Redis operation, keyed by the client's
    address as ``oplog.clients.client_address`` gives it (never a header the client chose)."""

    def get_ident(self, request):
        return client_address(request) or "unknown"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        allowed, self.remaining = rate_allows(self.key, self.num_requests, self.duration)
        return allowed

    def wait(self):
        return max(self.remaining, 0.0)


class _RatesFromSettings:
    # DRF copies DEFAULT_THROTTLE_RATES into a class attribute at import time; reading it per
    # request lets a changed REST_FRAMEWORK setting (override_settings included) take effect.
    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonRateThrottle(_RatesFromSettings, AtomicRateThrottle, throttling.AnonRateThrottle):
    """Per client address, for requests without credentials (scope ``anon``)."""


class UserRateThrottle(_RatesFromSettings, AtomicRateThrottle, throttling.UserRateThrottle):
    """Per account, for browser sessions and Bearer tokens alike (scope ``user``)."""
