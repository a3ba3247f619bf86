"""What the figures, metrics, groups and verdicts of an evaluation are called on a page, and how
their values read: translated labels, units, percentages with one decimal.

The engine keys figures by name (``rd_expense_share``, ``operating_revenue_2024``,
``growth_2025``, a group's name …); nothing here reaches a page as such a key.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from certification.choices import Verdict
from gansu_sme import formatting
from registry.choices import SizeClass

from .metrics import COUNT, DERIVED_METRICS, FIGURE_NAMES, FLAG, RATIO, WAN_YUAN, YEARS
from .metrics import METRICS as ENGINE_METRICS

PERSONS, POINTS, DATE, TEXT, SIZE = "persons", "points", "date", "text", "size"

# Figures the engine reads from the verified reports and the enterprise record, with units.
_UNITS = {
    "operating_revenue": WAN_YUAN,
    "main_business_revenue": WAN_YUAN,
    "net_profit": WAN_YUAN,
    "total_assets": WAN_YUAN,
    "total_liabilities": WAN_YUAN,
    "employees": PERSONS,
    "rd_staff": PERSONS,
    "rd_expense": WAN_YUAN,
    "safety_incidents": COUNT,
    "quality_incidents": COUNT,
    "environmental_incidents": COUNT,
    "founded_on": DATE,
    "niche_market": TEXT,
    "size_class": SIZE,
    "zjtx_certificate": TEXT,
    "zjtx_certificate_valid_until": DATE,
    "niche_market_evidence": TEXT,
    "niche_market_since": DATE,
}
FIGURES = {
    **{key: (FIGURE_NAMES[key], unit) for key, unit in _UNITS.items()},
    "equity_financing_2y": (
        gettext_lazy("New equity financing in the last 2 years (declared)"), WAN_YUAN
    ),
    "equity_financing_3y": (
        gettext_lazy("New equity financing in the last 3 years (declared)"), WAN_YUAN
    ),
    # Yearly figures a multi-year metric notes ("growth_2025").
    "growth": (gettext_lazy("Main-business revenue growth"), RATIO),
    "rd_expense_share": (gettext_lazy("R&D expense share of operating revenue"), RATIO),
    # The score test's figures.
    "total_points": (gettext_lazy("Evaluation score"), POINTS),
    "pass_mark": (gettext_lazy("Pass mark"), POINTS),
}

# The metrics rule items read, as the criteria name them.
METRICS = {
    **{key: metric.name for key, metric in ENGINE_METRICS.items()},
    **{key: name for key, (_unit, name) in DERIVED_METRICS.items()},
}

# The scoring groups and condition groups of the seeded rule sets; the Chinese names are the
# standard's own and stay the rule data, these are what a page calls them.
GROUPS = {
    "专业化": pgettext_lazy("rule group", "Specialisation"),
    "精细化": pgettext_lazy("rule group", "Refinement"),
    "特色化": pgettext_lazy("rule group", "Distinctiveness"),
    "创新能力": pgettext_lazy("rule group", "Innovation capability"),
    "成长性": pgettext_lazy("rule group", "Growth"),
    "专": pgettext_lazy("little giant group", "Specialised"),
    "精": pgettext_lazy("little giant group", "Refined"),
    "特": pgettext_lazy("little giant group", "Distinctive"),
    "新": pgettext_lazy("little giant group", "Innovative"),
    "链": pgettext_lazy("little giant group", "Industrial chain"),
    "品": pgettext_lazy("little giant group", "Product field"),
    "basic": pgettext_lazy("rule group", "Basic conditions"),
    "score": pgettext_lazy("rule group", "Evaluation score"),
    "direct": pgettext_lazy("rule group", "Direct routes"),
    "veto": pgettext_lazy("rule group", "Vetoes"),
}

# The verdict in words, as a reviewer writes it on a paper sheet.
VERDICTS = {
    Verdict.PASS: pgettext_lazy("score sheet verdict", "Met"),
    Verdict.FAIL: pgettext_lazy("score sheet verdict", "Not met"),
    Verdict.UNKNOWN: pgettext_lazy("score sheet verdict", "To be verified"),
    Verdict.SCORED: pgettext_lazy("score sheet verdict", "Scored"),
}

UNITS = {
    WAN_YUAN: gettext_lazy("10k yuan"),
    PERSONS: gettext_lazy("persons"),
    YEARS: gettext_lazy("years"),
    POINTS: gettext_lazy("points"),
}

_BY_YEAR = re.compile(r"^(?P<name>.+)_(?P<year>\d{4})$")
_MINIMUM = re.compile(r"^(?P<group>.+)_minimum$")


def group_label(group):
    label = GROUPS.get(group)
    return str(label) if label is not None else group


def metric_label(key):
    label = METRICS.get(key)
    return str(label) if label is not None else str(FIGURES.get(key, (key,))[0])


def verdict_label(verdict):
    return str(VERDICTS[verdict])


def _plain(number):
    # Thresholds as written in the rules: 100 reads 100, 0.5 reads 0.5.
    value = Decimal(str(number))
    places = max(0, -value.normalize().as_tuple().exponent)
    return formatting.number(value, min(places, 2))


def plain_points(value):
    """Points as the rules write them: 10 reads "10 points", 1 "1 point", 2.5 "2.5 points"."""
    number = Decimal(str(value))
    count = int(number) if number == number.to_integral_value() else 2
    return ngettext("%(points)s point", "%(points)s points", count) % {"points": _plain(value)}


def plain(value):
    return _plain(value)


def amount(value, unit):
    """``value`` in ``unit`` as it reads on a page, unit included; "" when there is none."""
    if value is None or value == "":
        return ""
    if unit == RATIO:
        return formatting.percent(value)
    if unit == WAN_YUAN:
        return _("%(amount)s (10k yuan)") % {"amount": formatting.wanyuan(value)}
    if unit == PERSONS:
        return _("%(count)s persons") % {"count": formatting.number(value)}
    if unit == YEARS:
        return _("%(count)s years") % {"count": formatting.number(value)}
    if unit == POINTS:
        return _("%(points)s points") % {"points": formatting.number(value, 1)}
    if unit == COUNT:
        return formatting.number(value)
    if unit == FLAG:
        return _("yes") if value else _("no")
    if unit == DATE:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return formatting.day(value)
    if unit == SIZE:
        return str(SizeClass(value).label) if value in SizeClass.values else str(value)
    return str(value)


def threshold(value, unit):
    """A bound of a tier: a percentage with one decimal, or the number with its unit."""
    if unit == RATIO:
        return formatting.percent(value)
    if unit == WAN_YUAN:
        return _("%(amount)s (10k yuan)") % {"amount": _plain(value)}
    if unit == YEARS:
        return _("%(count)s years") % {"count": _plain(value)}
    return _plain(value)


def figure(key, value, units):
    """(label, value as it reads) of one figure of an item result.

    ``units`` maps metric keys to their units (``rubric.METRICS``).
    """
    if key in FIGURES:
        label, unit = FIGURES[key]
        return str(label), amount(value, unit)
    if key in METRICS and key in units:
        return str(METRICS[key]), amount(value, units[key])
    match = _BY_YEAR.match(key)
    if match and match["name"] in FIGURES:
        label, unit = FIGURES[match["name"]]
        return (
            _("%(figure)s, %(year)s") % {"figure": label, "year": match["year"]},
            amount(value, unit),
        )
    match = _MINIMUM.match(key)
    if match:
        return (
            _("Minimum for %(group)s") % {"group": group_label(match["group"])},
            amount(value, POINTS),
        )
    if key in GROUPS:
        return _("Points for %(group)s") % {"group": group_label(key)}, amount(value, POINTS)
    return key, str(value)
