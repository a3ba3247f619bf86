"""One permission matrix for every API resource (STYLE.md §11): actors × operations → status.

A test module names its callers once (fixture names, plus ``"anonymous"``), writes one row
of expected status codes per operation, one column per caller, and decorates a single test
with ``permission_matrix``; the test gets ``operation``, ``actor`` and ``expected`` and sends
the request as ``user_of(request, actor)``::

    ACTORS = ["anonymous", "county_user", "province_user"]
    MATRIX = {"list": (401, 200, 200), "approve": (401, 403, 200)}

    @permission_matrix(ACTORS, MATRIX)
    def test_permission_matrix(request, as_user, operation, actor, expected):
        response = send(as_user(user_of(request, actor)), operation)
        assert response.status_code == expected
"""

import pytest

ANONYMOUS = "anonymous"
# Every kind of caller of a region-scoped resource of 城关区 (兰州市): anonymous, roles without
# the right, accounts out of the region, and those in it (fixtures of tests/conftest.py).
ACTORS = [
    ANONYMOUS,
    "expert_user",
    "api_user",
    "auditor_user",
    "province_user",
    "other_city_user",
    "other_county_user",
    "county_user",
    "city_user",
]


def permission_matrix(actors, matrix):
    """Parametrize a test with every ``(operation, actor, expected)`` cell of ``matrix``."""
    cases = []
    for operation, statuses in matrix.items():
        if len(statuses) != len(actors):
            raise ValueError(f"{operation!r}: {len(statuses)} statuses for {len(actors)} actors")
        cases += [
            pytest.param(operation, actor, status, id=f"{operation}-{actor}")
            for actor, status in zip(actors, statuses, strict=True)
        ]
    return pytest.mark.parametrize(("operation", "actor", "expected"), cases)


def user_of(request, actor):
    """The account an actor of the matrix stands for: a fixture's user, or None (anonymous)."""
    return None if actor == ANONYMOUS else request.getfixturevalue(actor)
