"""Data-quality rules of monitoring reports (数据质量校验).

Each rule looks at a report's figures, and where it needs them at the same period a year earlier
and at the year's monthly reports, and returns a flag ``{"rule", "message", "figures"}`` when the
figures look wrong. Flags are stored on the report and shown to the officials who file and
verify it; nothing is ever corrected automatically, because a surprising figure may be true.

The services run the rules on every save, so reports filed through the form, the API and the
Excel import are flagged alike; callers hand in the reference reports they already hold, so the
rules never query the database themselves.
"""

from dataclasses import dataclass
from decimal import Decimal

from registry.choices import PeriodKind

# Year-on-year change of operating revenue beyond this share of last year's is flagged.
YOY_LIMIT = Decimal("0.5")
# Twelve monthly operating revenues may differ from the annual one by the larger of these
# before they are flagged: monthly reports are rounded and often filed before the books close.
MONTHS_TOLERANCE = Decimal("1")  # 万元
MONTHS_TOLERANCE_SHARE = Decimal("0.01")
# The figures the rules read from the reports they compare with; callers may load only these.
REFERENCE_FIGURES = ("operating_revenue",)


def _money(value):
    return f"{value:,.2f}"


def _flag(rule, zh, en, **figures):
    return {
        "rule": rule,
        "message": f"{zh} {en}",
        "figures": {name: None if value is None else str(value) for name, value in figures.items()},
    }


def yoy_revenue(report, previous, months):
    """Operating revenue changed by more than ±50 % against the same period a year earlier."""
    current = report.operating_revenue
    before = previous.operating_revenue if previous is not None else None
    if current is None or not before:
        return None
    change = (current - before) / before
    if abs(change) <= YOY_LIMIT:
        return None
    percent = f"{change * 100:+.1f}%"
    return _flag(
        "yoy_revenue",
        f"营业收入同比变动{percent}（本期{_money(current)}万元，上年同期{_money(before)}万元），"
        "超过±50%。",
        f"Operating revenue changed {percent} year on year ({_money(current)} against "
        f"{_money(before)} 10k yuan a year earlier), beyond ±50%.",
        operating_revenue=current,
        previous_operating_revenue=before,
        change_percent=round(change * 100, 1),
    )


def rd_above_revenue(report, previous, months):
    """R&D expense is larger than operating revenue."""
    rd, revenue = report.rd_expense, report.operating_revenue
    if rd is None or revenue is None or rd <= revenue:
        return None
    return _flag(
        "rd_above_revenue",
        f"研发费用（{_money(rd)}万元）高于营业收入（{_money(revenue)}万元）。",
        f"R&D expense ({_money(rd)}) is above operating revenue ({_money(revenue)} 10k yuan).",
        rd_expense=rd,
        operating_revenue=revenue,
    )


def revenue_without_employees(report, previous, months):
    """Operating revenue is reported but employees are zero or missing."""
    revenue, employees = report.operating_revenue, report.employees
    if not revenue or employees:
        return None
    return _flag(
        "revenue_without_employees",
        f"有营业收入（{_money(revenue)}万元）但从业人员为{'空' if employees is None else 0}。",
        f"Operating revenue of {_money(revenue)} 10k yuan with "
        f"{'no employee figure' if employees is None else 'zero employees'}.",
        operating_revenue=revenue,
        employees=employees,
    )


def main_above_operating(report, previous, months):
    """Main-business revenue is part of operating revenue, so it cannot be larger."""
    main, revenue = report.main_business_revenue, report.operating_revenue
    if main is None or revenue is None or main <= revenue:
        return None
    return _flag(
        "main_above_operating",
        f"主营业务收入（{_money(main)}万元）高于营业收入（{_money(revenue)}万元）。",
        f"Main-business revenue ({_money(main)}) is above operating revenue "
        f"({_money(revenue)} 10k yuan).",
        main_business_revenue=main,
        operating_revenue=revenue,
    )


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
    return _flag(
        "months_add_up",
        f"12个月营业收入合计{_money(total)}万元，与年报{_money(annual)}万元不符"
        f"（相差{_money(total - annual)}万元）。",
        f"The twelve monthly operating revenues add up to {_money(total)}, not the annual "
        f"{_money(annual)} 10k yuan (difference {_money(total - annual)}).",
        operating_revenue=annual,
        months_operating_revenue=total,
    )


def rd_staff_above_employees(report, previous, months):
    """R&D staff are counted among the employees, so there cannot be more of them."""
    rd_staff, employees = report.rd_staff, report.employees
    if rd_staff is None or employees is None or rd_staff <= employees:
        return None
    return _flag(
        "rd_staff_above_employees",
        f"研发人员（{rd_staff}人）多于从业人员（{employees}人）。",
        f"R&D staff ({rd_staff}) outnumber employees ({employees} persons).",
        rd_staff=rd_staff,
        employees=employees,
    )


@dataclass(frozen=True)
class Rule:
    code: str
    # Name of the rule in both languages, for filters and legends.
    title: str
    check: object


RULES = (
    Rule("yoy_revenue", "营业收入同比变动超过±50% Revenue change beyond ±50%", yoy_revenue),
    Rule("rd_above_revenue", "研发费用高于营业收入 R&D above revenue", rd_above_revenue),
    Rule(
        "revenue_without_employees",
        "有收入无从业人员 Revenue without employees",
        revenue_without_employees,
    ),
    Rule(
        "main_above_operating",
        "主营业务收入高于营业收入 Main-business above operating revenue",
        main_above_operating,
    ),
    Rule("months_add_up", "月报合计与年报不符 Months do not add up", months_add_up),
    Rule(
        "rd_staff_above_employees",
        "研发人员多于从业人员 R&D staff above employees",
        rd_staff_above_employees,
    ),
)


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
