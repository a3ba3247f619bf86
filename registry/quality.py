"""Data-quality rules of monitoring reports (数据质量校验).

Each rule looks at a report's figures, and where it needs them at the same period a year earlier
and at the year's monthly reports, and returns a flag ``{"rule", "figures", "message"}`` when the
figures look wrong; ``flag_message`` says what it means in the reader's language. Flags are
stored on the report and shown to the officials who file and verify it; nothing is ever
corrected automatically, because a surprising figure may be true.

The services run the rules on every save, so reports filed through the form, the API and the
Excel import are flagged alike; callers hand in the reference reports they already hold, so the
rules never query the database themselves.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gansu_sme import formatting
from registry.choices import PeriodKind

# Year-on-year change of operating revenue beyond this share of last year's is flagged.
YOY_LIMIT = Decimal("0.5")
# Twelve monthly operating revenues may differ from the annual one by the larger of these
# before they are flagged: monthly reports are rounded and often filed before the books close.
MONTHS_TOLERANCE = Decimal("1")  # 万元
MONTHS_TOLERANCE_SHARE = Decimal("0.01")
# The figures the rules read from the reports they compare with; callers may load only these.
REFERENCE_FIGURES = ("operating_revenue",)


def _flag(rule, **figures):
    flag = {
        "rule": rule,
        "figures": {name: None if value is None else str(value) for name, value in figures.items()},
    }
    # The message as first given, in the site's language, for readers of the stored JSON;
    # pages and the API say it in the reader's language (flag_message).
    with translation.override(settings.LANGUAGE_CODE):
        flag["message"] = flag_message(flag)
    return flag


def yoy_revenue(report, previous, months):
    """Operating revenue changed by more than ±50 % against the same period a year earlier."""
    current = report.operating_revenue
    before = previous.operating_revenue if previous is not None else None
    if current is None or not before:
        return None
    change = (current - before) / before
    if abs(change) <= YOY_LIMIT:
        return None
    return _flag(
        "yoy_revenue",
        operating_revenue=current,
        previous_operating_revenue=before,
        change_percent=round(change * 100, 1),
    )


def rd_above_revenue(report, previous, months):
    """R&D expense is larger than operating revenue."""
    rd, revenue = report.rd_expense, report.operating_revenue
    if rd is None or revenue is None or rd <= revenue:
        return None
    return _flag("rd_above_revenue", rd_expense=rd, operating_revenue=revenue)


def revenue_without_employees(report, previous, months):
    """Operating revenue is reported but employees are zero or missing."""
    revenue, employees = report.operating_revenue, report.employees
    if not revenue or employees:
        return None
    return _flag("revenue_without_employees", operating_revenue=revenue, employees=employees)


def main_above_operating(report, previous, months):
    """Main-business revenue is part of operating revenue, so it cannot be larger."""
    main, revenue = report.main_business_revenue, report.operating_revenue
    if main is None or revenue is None or main <= revenue:
        return None
    return _flag("main_above_operating", main_business_revenue=main, operating_revenue=revenue)


def months_add_up(report, previous, months):
    """Twelve monthly operating revenues must add up to the annual one, within tolerance.

    Judged only for an annual report once every month of its year has a submitted or verified
    report with operating revenue; until then the months are simply incomplete.
    """
    if report.period_kind != PeriodKind.YEAR or report.operating_revenue is None:
        return None
    by_month = {m.period: m.operating_revenue for m in months if m.operating_revenue is not None}
    if len(by_month) < 12:
        return None
    total = sum(by_month.values(), Decimal(0))
    annual = report.operating_revenue
    tolerance = max(MONTHS_TOLERANCE, annual * MONTHS_TOLERANCE_SHARE)
    if abs(total - annual) <= tolerance:
        return None
    return _flag("months_add_up", operating_revenue=annual, months_operating_revenue=total)


def rd_staff_above_employees(report, previous, months):
    """R&D staff are counted among the employees, so there cannot be more of them."""
    rd_staff, employees = report.rd_staff, report.employees
    if rd_staff is None or employees is None or rd_staff <= employees:
        return None
    return _flag("rd_staff_above_employees", rd_staff=rd_staff, employees=employees)


@dataclass(frozen=True)
class Rule:
    code: str
    # Name of the rule, for filters and legends.
    title: str
    check: object


RULES = (
    Rule("yoy_revenue", _("Revenue change beyond ±50%"), yoy_revenue),
    Rule("rd_above_revenue", _("R&D expense above revenue"), rd_above_revenue),
    Rule("revenue_without_employees", _("Revenue without employees"), revenue_without_employees),
    Rule(
        "main_above_operating",
        _("Main-business revenue above operating revenue"),
        main_above_operating,
    ),
    Rule("months_add_up", _("Monthly reports do not add up to the annual one"), months_add_up),
    Rule("rd_staff_above_employees", _("R&D staff above employees"), rd_staff_above_employees),
)
RULE_TITLES = {rule.code: rule.title for rule in RULES}


def _wanyuan(figures, name):
    return formatting.wanyuan(figures[name])


def flag_message(flag):
    """What a stored flag says, in the active language, from its rule and figures.

    A flag of a rule this code does not know, or stored without the figures its rule reads,
    keeps the message it was stored with.
    """
    try:
        return _message(flag)
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return flag.get("message", "")


def _message(flag):
    figures = flag.get("figures") or {}
    rule = flag.get("rule")
    if rule == "yoy_revenue":
        change = Decimal(figures["change_percent"])
        return gettext(
            "Operating revenue changed %(change)s year on year (%(current)s against %(previous)s"
            " 10k yuan a year earlier), beyond ±50%%."
        ) % {
            "change": f"{'+' if change > 0 else ''}{formatting.number(change, 1)}%",
            "current": _wanyuan(figures, "operating_revenue"),
            "previous": _wanyuan(figures, "previous_operating_revenue"),
        }
    if rule == "rd_above_revenue":
        return gettext(
            "R&D expense (%(rd)s 10k yuan) is above operating revenue (%(revenue)s 10k yuan)."
        ) % {
            "rd": _wanyuan(figures, "rd_expense"),
            "revenue": _wanyuan(figures, "operating_revenue"),
        }
    if rule == "revenue_without_employees":
        if figures["employees"] is None:
            text = gettext("Operating revenue of %(revenue)s 10k yuan with no employee figure.")
        else:
            text = gettext("Operating revenue of %(revenue)s 10k yuan with zero employees.")
        return text % {"revenue": _wanyuan(figures, "operating_revenue")}
    if rule == "main_above_operating":
        return gettext(
            "Main-business revenue (%(main)s 10k yuan) is above operating revenue"
            " (%(revenue)s 10k yuan)."
        ) % {
            "main": _wanyuan(figures, "main_business_revenue"),
            "revenue": _wanyuan(figures, "operating_revenue"),
        }
    if rule == "months_add_up":
        total = Decimal(figures["months_operating_revenue"])
        annual = Decimal(figures["operating_revenue"])
        return gettext(
            "The twelve monthly operating revenues add up to %(total)s 10k yuan, not the annual"
            " %(annual)s 10k yuan (difference %(difference)s 10k yuan)."
        ) % {
            "total": formatting.wanyuan(total),
            "annual": formatting.wanyuan(annual),
            "difference": formatting.wanyuan(total - annual),
        }
    if rule == "rd_staff_above_employees":
        return gettext(
            "R&D staff (%(rd_staff)s persons) outnumber employees (%(employees)s persons)."
        ) % {"rd_staff": figures["rd_staff"], "employees": figures["employees"]}
    return flag.get("message", "")


def report_flags(report, *, previous=None, months=()):
    """The flags every rule raises on ``report``.

    ``previous`` is the submitted or verified report of the same period a year earlier, if any;
    ``months`` the submitted or verified monthly reports of the report's year (used for annual
    reports only). Both may be unsaved objects: any object with the figure attributes will do.
    """
    flags = []
    for rule in RULES:
        flag = rule.check(report, previous, months)
        if flag is not None:
            flags.append(flag)
    return flags
