"""How a report's stored figures are laid out as rows: one layout for the page and the XLSX.

Each row names its indicator in full in one translatable message (never a label glued to a
fragment), says its unit and what kind of figure it holds, so the page formats it through the
one formatting layer (``gansu_sme.formatting``) and the workbook writes it as a number with
the matching format; values are the stored strings and counts, so both show exactly what the
data holds.
"""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gansu_sme import formatting
from registry.choices import PlanMetric, PoolKind, PoolTier, TargetMetric
from registry.quality import RULES

COUNT = "count"  # whole numbers: firms, entries, reports
AMOUNT = "amount"  # 万元, two decimals
YUAN = "yuan"  # 元, two decimals
PERCENT = "percent"  # already in percent; shown with one decimal
TEXT = "text"


class Row(NamedTuple):
    section: str
    label: str
    value: Any
    unit: str
    target: Any = None
    # True/False (target met), a percentage of the target reached, or None.
    met: Any = None
    kind: str = COUNT

    def shown(self, value, kind=None):
        kind = kind or self.kind
        if value is None or value == "":
            return ""
        places = {COUNT: 0, AMOUNT: 2, YUAN: 2, PERCENT: 1}.get(kind)
        if places is None or isinstance(value, bool):
            return str(value)
        # Stored figures are numbers or their strings; anything else is shown as it is.
        return formatting.number(value, places) or str(value)

    @property
    def value_shown(self):
        return self.shown(self.value)

    @property
    def target_shown(self):
        return self.shown(self.target)

    @property
    def result_shown(self):
        if self.met is True:
            return _("yes")
        if self.met is False:
            return _("no")
        return self.shown(self.met, PERCENT)


def _units():
    return {
        "firms": pgettext("unit", "firms"),
        "entries": pgettext("unit", "entries"),
        "wan": _("10k yuan"),
        "yuan": _("yuan"),
        "persons": pgettext("unit", "persons"),
        "reports": pgettext("unit", "reports"),
        "flags": pgettext("unit", "flags"),
        "certificates": pgettext("unit", "certificates"),
        "payments": pgettext("unit", "payments"),
        "percent": "%",
        "targets": pgettext("unit", "targets"),
    }


def _plan_rate_rows(data):
    unit = _units()
    rows = []
    rd = data["rd"]
    section = _("R&D intensity (verified annual reports of %(year)s)") % {"year": rd["year"]}
    labels = {
        "above_scale": (
            _("Above-scale SMEs with R&D figures"),
            _("R&D expense of above-scale SMEs"),
            _("Main-business revenue of above-scale SMEs"),
            _("R&D intensity of above-scale SMEs"),
        ),
        "zjtx": (
            _("专精特新 SMEs with R&D figures"),
            _("R&D expense of 专精特新 SMEs"),
            _("Main-business revenue of 专精特新 SMEs"),
            _("R&D intensity of 专精特新 SMEs"),
        ),
    }
    for key, (firms, expense, revenue, intensity) in labels.items():
        part = rd[key]
        rows += [
            Row(section, firms, part["firms"], unit["firms"]),
            Row(section, expense, part["rd_expense"], unit["wan"], kind=AMOUNT),
            Row(section, revenue, part["main_business_revenue"], unit["wan"], kind=AMOUNT),
            Row(section, intensity, part["intensity"], "%", part["target"], part["met"],
                kind=PERCENT),
        ]

    info = data["informatization"]
    section = _("Informatization of above-scale SMEs (%(year)s)") % {"year": info["year"]}
    rows += [
        Row(section, _("Firms with a verified annual report"), info["firms"], unit["firms"]),
        Row(section, _("Share using digital R&D design tools"), info["digital_rd_tools"]["rate"],
            "%", info["digital_rd_tools"]["target"], info["digital_rd_tools"]["met"],
            kind=PERCENT),
        Row(section, _("Average CNC ratio of key processes"), info["cnc_ratio"]["average"], "%",
            info["cnc_ratio"]["target"], info["cnc_ratio"]["met"], kind=PERCENT),
        Row(section, _("Share using cloud services"), info["cloud"]["rate"], "%",
            kind=PERCENT),
        Row(section, _("Share selling online"), info["ecommerce"]["rate"], "%", kind=PERCENT),
    ]
    return rows


def _pool_label(kind, tier):
    """The pool and tier in one message: '专精特新培育库（县级）'."""
    labels = {
        PoolKind.ZJTX: {
            PoolTier.COUNTY: _("专精特新 pool, county tier"),
            PoolTier.CITY: _("专精特新 pool, city tier"),
            PoolTier.PROVINCE: _("专精特新 pool, province tier"),
            "total": _("专精特新 pool, all tiers"),
        },
        PoolKind.SCALE_UP: {
            PoolTier.COUNTY: _("Below-to-above-scale pool, county tier"),
            PoolTier.CITY: _("Below-to-above-scale pool, city tier"),
            PoolTier.PROVINCE: _("Below-to-above-scale pool, province tier"),
            "total": _("Below-to-above-scale pool, all tiers"),
        },
    }
    return labels[kind][tier]


def _pool_rows(data):
    unit = _units()
    rows = []
    pool = data["pool"]
    section = _("Pool sizes at the end of the period")
    for kind in PoolKind:
        for tier in PoolTier:
            rows.append(Row(section, _pool_label(kind, tier), pool[kind][tier], unit["entries"]))
        rows.append(Row(section, _pool_label(kind, "total"), pool[kind]["total"],
                        unit["entries"]))
    # A firm may be in both pools: the overall figure counts firms, each once.
    rows.append(Row(section, _("Firms in any pool"), pool["firms"], unit["firms"]))

    section = _("Pool admissions and removals in the period")
    moves = data["pool_moves"]
    for key, label in (
        ("admitted", _("Entries admitted")), ("promoted", _("Entries promoted to the next tier")),
        ("graduated", _("Entries graduated")), ("removed", _("Entries removed")),
    ):
        rows.append(Row(section, label, moves[key], unit["entries"]))
    return rows


def _monitoring_rows(section, mon):
    unit = _units()
    return [
        Row(section, _("Active firms expected to file"), mon["expected"], unit["firms"]),
        Row(section, _("Firms that filed"), mon["submitted"], unit["firms"]),
        Row(section, _("Firms whose filed report is verified"), mon["verified"], unit["firms"]),
        Row(section, _("Submission rate"), mon["submission_rate"], "%", kind=PERCENT),
        Row(section, _("Verification rate"), mon["verification_rate"], "%", kind=PERCENT),
    ]


def _economy_labels():
    """Each figure, and each of its growth rates, named in one message."""
    return {
        "operating_revenue": {
            None: _("Operating revenue"),
            "growth_on_previous_month": _("Operating revenue, change on the previous month"),
            "growth_year_on_year": _("Operating revenue, change year on year"),
        },
        "taxes": {
            None: _("Taxes paid"),
            "growth_on_previous_month": _("Taxes paid, change on the previous month"),
            "growth_year_on_year": _("Taxes paid, change year on year"),
        },
        "employees": {
            None: _("Employees"),
            "growth_on_previous_month": _("Employees, change on the previous month"),
            "growth_year_on_year": _("Employees, change year on year"),
        },
    }


def _economy_rows(section, eco, growths):
    """Totals of the filed reports, each followed by its growth rates."""
    unit = _units()
    labels = _economy_labels()
    units = {
        "operating_revenue": (unit["wan"], AMOUNT),
        "taxes": (unit["wan"], AMOUNT),
        "employees": (unit["persons"], COUNT),
    }
    rows = [Row(section, _("Reports counted"), eco["reports"], unit["reports"])]
    for key, (figure_unit, kind) in units.items():
        rows.append(Row(section, labels[key][None], eco[key], figure_unit, kind=kind))
        rows += [
            Row(section, labels[key][growth], eco[growth][key], "%", kind=PERCENT)
            for growth in growths
        ]
    return rows


def _rule_titles():
    """The data-quality rules by the code the stored flags carry, in the reader's language."""
    return {rule.code: str(rule.title) for rule in RULES}


def _outcome_rows(data):
    """Open data-quality flags, certificates and awards of the period."""
    unit = _units()
    rows = []
    section = _("Open data-quality flags")
    flags = data["quality_flags"]
    rows += [
        Row(section, _("Reports with flags"), flags["reports"], unit["reports"]),
        Row(section, _("Flags raised"), flags["flags"], unit["flags"]),
    ]
    titles = _rule_titles()
    rows += [
        Row(section, _("Flags: %(rule)s") % {"rule": titles.get(rule, _("other rule"))}, n,
            unit["flags"])
        for rule, n in flags["by_rule"].items()
    ]

    section = _("Certificates")
    certs = data["certificates"]
    for key, label in (
        ("issued", _("Certificates issued in the period")),
        ("revoked", _("Certificates revoked in the period")),
        ("expired", _("Certificates ended in the period")),
        ("valid_provincial", _("Valid provincial 专精特新 certificates")),
        ("valid_national", _("Valid national little giant certificates")),
        ("expiring_90_days", _("Valid certificates ending within 90 days")),
    ):
        rows.append(Row(section, label, certs[key], unit["certificates"]))

    section = _("Awards")
    awards = data["awards"]
    if awards["paid"] is None:
        rows.append(Row(section, _("Awards paid in the period"), _("not available"), "",
                        kind=TEXT))
    else:
        rows.append(Row(section, _("Awards paid in the period"), awards["paid"], unit["yuan"],
                        kind=YUAN))
        rows.append(Row(section, _("Award payments in the period"), awards["payments"],
                        unit["payments"]))
    return rows


def _target_rows(data):
    unit = _units()
    rows = []
    labels = dict(TargetMetric.choices)
    units = {
        TargetMetric.NET_NEW_ABOVE_SCALE: unit["firms"],
        TargetMetric.CERTIFIED: unit["firms"],
        TargetMetric.LITTLE_GIANT: unit["firms"],
    }
    section = _("Targets of %(year)s") % {"year": data["year"]}
    for target in data["targets"]:
        # No actual yet: net new above-scale firms wait for the year's verified annual reports.
        actual = target["actual"]
        metric = labels.get(target["metric"], target["metric"])
        rows.append(
            Row(
                section,
                _("%(region)s: %(metric)s") % {"region": target["region_name"], "metric": metric},
                _("annual reports pending") if actual is None else actual,
                units.get(target["metric"], unit["entries"]),
                target["target"],
                target["percent"],
                kind=TEXT if actual is None else COUNT,
            )
        )
    return rows


def _plan_rows(data):
    """Each plan target: the figure, the target, and the share reached (or met, for a rate);
    a figure entered by hand names its source and who entered it."""
    unit = _units()
    labels = dict(PlanMetric.choices)
    rows = []
    for item in data.get("plans", []):
        # The document number and clause are the Chinese text's own; an English page names
        # the plan by its years instead.
        if formatting.is_chinese() or not item.get("plan_years"):
            section = _("Targets of %(plan)s, due %(year)s") % {
                "plan": item["plan"], "year": item["due_year"]}
        else:
            section = _("Targets of the %(years)s plan, due %(year)s") % {
                "years": item["plan_years"], "year": item["due_year"]}
        metric = labels.get(item["metric"], item["metric"])
        label = (
            _("%(clause)s %(metric)s") % {"clause": item["clause"], "metric": metric}
            if formatting.is_chinese() else metric
        )
        if item["entered_by_hand"] and item["source"]:
            label = _("%(label)s (entered by hand: %(source)s, by %(who)s)") % {
                "label": label, "source": item["source"], "who": item["entered_by"]}
        percent = item["unit"] == "percent"
        if item["pending"] or item["actual"] is None:
            value, kind = (_("not entered yet") if item["entered_by_hand"]
                           else _("no figures yet")), TEXT
        else:
            value, kind = item["actual"], PERCENT if percent else COUNT
        result = item["met"] if percent else item["percent"]
        rows.append(Row(section, label, value, "%" if percent else unit["firms"],
                        item["target"], result, kind=kind))
    return rows


def _financing_rows(data):
    """Financing needs and grants of the period; absent from reports made before the
    financing app kept them."""
    figures = data.get("financing")
    if not figures:
        return []
    unit = _units()
    section = _("Financing needs and bank matching")
    return [
        Row(section, _("Needs filed in the period"), figures["filed"], unit["entries"]),
        Row(section, _("Amount of the needs filed"), figures["filed_amount"], unit["wan"],
            kind=AMOUNT),
        Row(section, _("Grants in the period"), figures["granted"], unit["entries"]),
        Row(section, _("Amount granted in the period"), figures["granted_amount"], unit["wan"],
            kind=AMOUNT),
        Row(section, _("Needs open at the end of the period"), figures["open"],
            unit["entries"]),
        Row(section, _("Firms in credit cultivation"), figures["credit_cultivated"],
            unit["firms"]),
    ]


def monthly_rows(data):
    return (
        _pool_rows(data)
        + _monitoring_rows(_("Monitoring reports of the month"), data["monitoring"])
        + _economy_rows(
            _("Economic figures of the month (filed reports)"),
            data["economy"],
            ("growth_on_previous_month", "growth_year_on_year"),
        )
        + _plan_rate_rows(data)
        + _outcome_rows(data)
        + _financing_rows(data)
    )


def kpi_rows(data):
    return _target_rows(data) + _plan_rows(data) + _plan_rate_rows(data)


def annual_rows(data):
    return (
        _pool_rows(data)
        + _monitoring_rows(_("Annual reports of the year"), data["monitoring"])
        + _economy_rows(
            _("Economic figures of the year (filed annual reports)"),
            data["economy"],
            ("growth_year_on_year",),
        )
        + _target_rows(data)
        + _plan_rate_rows(data)
        + _outcome_rows(data)
    )
