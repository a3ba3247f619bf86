"""Dates are Beijing dates: no code takes the date of an aware timestamp in UTC.

``aware.date()`` gives the UTC date, which between 00:00 and 08:00 Beijing time is the day
before; ``timezone.localdate(aware)`` is the rule. Ruff's DTZ rules refuse ``date.today()`` and
``datetime.now()``; this scan covers what they cannot see.
"""

import ast
import datetime
import pathlib

import pytest
from django.utils import timezone

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", ".venv-bench", ".data", ".git", "migrations", "node_modules", "tests"}
# A `.date()` on a value that is naive by construction is allowed when its line says why.
NAIVE_PRAGMA = "# naive:"


def _project_sources():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def _is_localtime_call(node):
    """``timezone.localtime(x)`` or ``localtime(x)``: its date is the Beijing date."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "localtime"


def date_calls_on_timestamps(source):
    """Line numbers of ``x.date()`` calls whose receiver is not a local time or marked naive."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "date"
            and not node.args
            and not node.keywords
        ):
            continue
        if _is_localtime_call(node.func.value) or NAIVE_PRAGMA in lines[node.lineno - 1]:
            continue
        found.append(node.lineno)
    return found


def test_no_code_takes_the_utc_date_of_a_timestamp():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _project_sources()
        for line in date_calls_on_timestamps(path.read_text(encoding="utf-8"))
    ]

    assert offenders == [], "use timezone.localdate(value) instead of value.date()"


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("certificate.revoked_at.date()", [1]),
        ("timezone.now().date()", [1]),
        ("timezone.localtime(certificate.revoked_at).date()", []),
        ("cell.date()  # naive: read from a workbook", []),
        ("timezone.localdate(certificate.revoked_at)", []),
    ],
)
def test_the_scan_tells_a_utc_date_from_a_beijing_one(source, flagged):
    assert date_calls_on_timestamps(source) == flagged


def test_the_beijing_clock_stands_where_it_says(beijing_clock):
    now = timezone.localtime()

    assert now.date() == beijing_clock.date()
    assert now.hour == beijing_clock.hour
    # Just after midnight Beijing time the UTC date is still the day before.
    if beijing_clock.hour == 0:
        assert timezone.now().astimezone(datetime.UTC).date() < timezone.localdate()
