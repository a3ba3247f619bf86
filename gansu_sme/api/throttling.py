"""Request rates for anonymous callers and for signed-in users and API tokens, kept in Redis."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RatesFromSettings:
    # DRF copies DEFAULT_THROTTLE_RATES into a class attribute at import time; reading it per
    # request lets a changed REST_FRAMEWORK setting (override_settings included) take effect.
    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    """Per client address, for requests without credentials (scope ``anon``)."""


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    """Per account, for browser sessions and Bearer tokens alike (scope ``user``)."""
