"""Valid, plausible credit codes for demo data and tests."""

import random

from registry.uscc import CHARSET, check_character

# 9 = registered by market regulation, 1 = enterprise.
ENTERPRISE_PREFIX = "91"


def organisation_code(rng):
    """A 9-character organisation code (GB 11714) whose last character is its own check."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    values = [int(c, 36) for c in body]
    remainder = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    return body + check


def make_uscc(division_code, rng=None):
    """A code that passes every check, registered by the authority of ``division_code``."""
    rng = rng or random.Random()
    first17 = ENTERPRISE_PREFIX + division_code + organisation_code(rng)
    assert all(c in CHARSET for c in first17)
    return first17 + check_character(first17)
