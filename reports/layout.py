"""How a report's stored figures are laid out as rows: one layout for the page and the XLSX.

Each row is ``(section, label, value, unit, target, met)``; values are the stored strings and
counts, so the workbook and the page show exactly what the data holds.
"""

from django.utils.translation import gettext as _

from registry.choices import PoolKind, PoolTier, TargetMetric


def _row(section, label, value, unit="", target=None, met=None):
    return (section, label, value, unit, target, met)


def _plan_rate_rows(data):
    rows = []
    rd = data["rd"]
    section = _("R&D intensity (verified annual reports of %(year)s)") % {"year": rd["year"]}
    for key, label in (("above_scale", _("Above-scale SMEs")), ("zjtx", _("专精特新 SMEs"))):
        part = rd[key]
        rows += [
            _row(section, f"{label} · {_('firms')}", part["firms"], _("firms")),
            _row(section, f"{label} · {_('R&D expense')}", part["rd_expense"], _("10k yuan")),
            _row(section, f"{label} · {_('main-business revenue')}",
                 part["main_business_revenue"], _("10k yuan")),
            _row(section, f"{label} · {_('R&D intensity')}", part["intensity"], "%",
                 part["target"], part["met"]),
        ]

    info = data["informatization"]
    section = _("Informatization of above-scale SMEs (%(year)s)") % {"year": info["year"]}
    rows += [
        _row(section, _("Firms with a verified annual report"), info["firms"], _("firms")),
        _row(section, _("Using digital R&D design tools"), info["digital_rd_tools"]["rate"], "%",
             info["digital_rd_tools"]["target"], info["digital_rd_tools"]["met"]),
        _row(section, _("Average CNC ratio of key processes"), info["cnc_ratio"]["average"], "%",
             info["cnc_ratio"]["target"], info["cnc_ratio"]["met"]),
        _row(section, _("Using cloud services"), info["cloud"]["rate"], "%"),
        _row(section, _("Selling online"), info["ecommerce"]["rate"], "%"),
    ]
    return rows


def _pool_rows(data):
    rows = []
    pool = data["pool"]
    section = _("Pool sizes at the end of the period")
    for kind in PoolKind:
        for tier in PoolTier:
            rows.append(
                _row(section, f"{kind.label} · {tier.label}", pool[kind][tier], _("entries"))
            )
        rows.append(
            _row(section, f"{kind.label} · {_('total')}", pool[kind]["total"], _("entries"))
        )
    # A firm may be in both pools: the overall figure counts firms, each once.
    rows.append(_row(section, _("All pools · firms"), pool["firms"], _("firms")))

    section = _("Pool admissions and removals in the period")
    moves = data["pool_moves"]
    for key, label in (
        ("admitted", _("Admitted")), ("promoted", _("Promoted to the next tier")),
        ("graduated", _("Graduated")), ("removed", _("Removed")),
    ):
        rows.append(_row(section, label, moves[key], _("entries")))
    return rows


def _monitoring_rows(section, mon):
    return [
        _row(section, _("Active firms expected to file"), mon["expected"], _("firms")),
        _row(section, _("Firms that filed"), mon["submitted"], _("firms")),
        _row(section, _("Filed reports verified"), mon["verified"], _("firms")),
        _row(section, _("Submission rate"), mon["submission_rate"], "%"),
        _row(section, _("Verification rate"), mon["verification_rate"], "%"),
    ]


def _economy_rows(section, eco, growths):
    """Totals of the filed reports, each followed by its growth rates ``(key, label)``."""
    names = {
        "operating_revenue": (_("Operating revenue"), _("10k yuan")),
        "taxes": (_("Taxes paid"), _("10k yuan")),
        "employees": (_("Employees"), _("persons")),
    }
    rows = [_row(section, _("Reports counted"), eco["reports"], _("reports"))]
    for key, (label, unit) in names.items():
        rows.append(_row(section, label, eco[key], unit))
        rows += [
            _row(section, f"{label} · {growth_label}", eco[growth_key][key], "%")
            for growth_key, growth_label in growths
        ]
    return rows


def _outcome_rows(data):
    """Open data-quality flags, certificates and awards of the period."""
    rows = []
    section = _("Open data-quality flags")
    flags = data["quality_flags"]
    rows += [
        _row(section, _("Reports with flags"), flags["reports"], _("reports")),
        _row(section, _("Flags"), flags["flags"], _("flags")),
    ]
    rows += [_row(section, rule, n, _("flags")) for rule, n in flags["by_rule"].items()]

    section = _("Certificates")
    certs = data["certificates"]
    for key, label in (
        ("issued", _("Issued in the period")), ("revoked", _("Revoked in the period")),
        ("expired", _("Ended in the period")),
        ("valid_provincial", _("Valid provincial 专精特新 certificates")),
        ("valid_national", _("Valid national little giant certificates")),
        ("expiring_90_days", _("Valid, ending within 90 days")),
    ):
        rows.append(_row(section, label, certs[key], _("certificates")))

    section = _("Awards")
    awards = data["awards"]
    if awards["paid"] is None:
        rows.append(_row(section, _("Awards paid in the period"), _("not available"), ""))
    else:
        rows.append(_row(section, _("Awards paid in the period"), awards["paid"], _("yuan")))
        rows.append(_row(section, _("Payments"), awards["payments"], _("payments")))
    return rows


def _target_rows(data):
    rows = []
    labels = dict(TargetMetric.choices)
    section = _("Targets of %(year)s") % {"year": data["year"]}
    for target in data["targets"]:
        # No actual yet: net new above-scale firms wait for the year's verified annual reports.
        actual = target["actual"]
        rows.append(
            _row(
                section,
                f"{target['region_name']} · {labels.get(target['metric'], target['metric'])}",
                _("annual reports pending") if actual is None else actual,
                "",
                target["target"],
                target["percent"],
            )
        )
    return rows


def monthly_rows(data):
    return (
        _pool_rows(data)
        + _monitoring_rows(_("Monitoring data of the month"), data["monitoring"])
        + _economy_rows(
            _("Economic figures of the month (filed reports)"),
            data["economy"],
            (
                ("growth_on_previous_month", _("growth on the previous month")),
                ("growth_year_on_year", _("growth year on year")),
            ),
        )
        + _plan_rate_rows(data)
        + _outcome_rows(data)
    )


def kpi_rows(data):
    return _target_rows(data) + _plan_rate_rows(data)


def annual_rows(data):
    return (
        _pool_rows(data)
        + _monitoring_rows(_("Annual reports of the year"), data["monitoring"])
        + _economy_rows(
            _("Economic figures of the year (filed annual reports)"),
            data["economy"],
            (("growth_year_on_year", _("growth year on year")),),
        )
        + _target_rows(data)
        + _plan_rate_rows(data)
        + _outcome_rows(data)
    )
