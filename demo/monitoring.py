"""Demo monitoring figures: three verified years and this year's months for the demo firms.

Figures are drawn per firm from a random generator seeded by its credit code, so every run
produces the same numbers; reports that already exist (matched by enterprise and period) are
left as they are, so a second run writes nothing. The firms are the demo ones, loaded without a
registering official. Sizes follow the industry: many industrial firms sit around the 2,000 万元
above-scale threshold and some cross it upwards or downwards between the years, as the
规下转规上 pool needs. A few reports carry deliberate data-quality flags, a few months are
still drafts or were returned. Rows are written in bulk under the history reason
"演示数据加载", as the rest of the demo data.
"""

import datetime
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.registry import HISTORY_REASON
from gansu_sme import bulk
from registry.choices import PeriodKind, ReportStatus, ReportVerb
from registry.models import Enterprise, MonitoringReport, MonitoringReportTransition
from registry.quality import report_flags
from registry.services.figures import region_figures_reconcile
from registry.services.monitoring import enterprises_refresh_figures
from registry.sizeclass import ABOVE_SCALE_THRESHOLD, is_industrial

SEED = 20260301
YEARS = (2023, 2024, 2025)
MONTH_YEAR = 2026
MONTHS = tuple(range(1, 11))
# Share of a year's revenue earned in each month: slow around the Spring Festival, strong
# at the year's end, as Gansu's industrial output runs.
SEASON = (0.070, 0.062, 0.083, 0.084, 0.085, 0.086, 0.083, 0.082, 0.085, 0.088, 0.090, 0.102)
# Energy used per 万元 of revenue (吨标准煤): heavy for refining, chemicals, building materials
# and metals, light elsewhere.
ENERGY_HEAVY = frozenset({"C25", "C26", "C28", "C30", "C31", "C32", "B06", "D44"})
# Demo staff who file and verify, by the region of the firm; others fall to the province.
FILERS = {"620102": "chengguan", "620100": "lanzhou", "620500": "tianshui"}
RETURN_REASON = "从业人员与社保缴纳人数不符，请核实后重新报送。"


@dataclass(frozen=True)
class DemoMonitoringResult:
    reports_created: int
    reports_existing: int
    enterprises_refreshed: int

    @property
    def unchanged(self):
        return not (self.reports_created or self.enterprises_refreshed)


def _d(value):
    return Decimal(value).quantize(Decimal("0.01"))


def _revenues(rng, industrial):
    """Operating revenue (万元) for each of YEARS and the months' year."""
    if not industrial:
        start = rng.uniform(150, 5000)
        growth = [rng.uniform(-0.1, 0.2) for _ in range(3)]
    else:
        band = rng.random()
        if band < 0.1:  # grows into scale (规下转规上)
            start, growth = rng.uniform(1500, 1750), [0.08, 0.12, 0.1]
        elif band < 0.17:  # drops below scale (退规)
            start, growth = rng.uniform(2300, 2500), [-0.05, -0.12, 0.04]
        elif band < 0.35:  # hovers around the threshold
            start, growth = rng.uniform(1700, 2600), [rng.uniform(-0.08, 0.1) for _ in range(3)]
        elif band < 0.6:  # small, below scale
            start, growth = rng.uniform(300, 1500), [rng.uniform(-0.1, 0.2) for _ in range(3)]
        elif band < 0.93:  # medium
            start, growth = rng.uniform(2600, 15000), [rng.uniform(-0.1, 0.2) for _ in range(3)]
        else:  # large
            start, growth = rng.uniform(15000, 45000), [rng.uniform(-0.05, 0.12) for _ in range(3)]
    revenues = [start]
    for rate in growth:
        revenues.append(revenues[-1] * (1 + rate))
    return revenues


def _annual(rng, code, industrial, revenue, productivity, year_index):
    threshold = float(ABOVE_SCALE_THRESHOLD)
    main = revenue * rng.uniform(0.9, 0.98)
    # Firms whose revenue clears the threshold mostly earn it in their main business.
    if industrial and revenue >= threshold > main:
        main = min(revenue, threshold + rng.uniform(5, 60))
    employees = max(3, round(revenue / productivity))
    assets = revenue * rng.uniform(0.9, 2.2)
    profit = revenue * rng.uniform(-0.02, 0.12)
    intensity = rng.uniform(0.4, 1.2) if code in ENERGY_HEAVY else rng.uniform(0.03, 0.2)
    return {
        "operating_revenue": _d(revenue),
        "main_business_revenue": _d(main),
        "output_value": _d(revenue * rng.uniform(0.95, 1.1)) if industrial else None,
        "taxes": _d(revenue * rng.uniform(0.02, 0.06)),
        "total_profit": _d(profit),
        "net_profit": _d(profit * 0.85 if profit > 0 else profit),
        "total_assets": _d(assets),
        "total_liabilities": _d(assets * rng.uniform(0.3, 0.65)),
        "employees": employees,
        "rd_staff": max(1, round(employees * rng.uniform(0.06, 0.22))),
        "rd_expense": _d(revenue * rng.uniform(0.015, 0.07)),
        "patents_class1": rng.randint(0, 3) + year_index,
        "patents_class2": rng.randint(2, 12) + 3 * year_index,
        "land_area": _d(10 + employees * rng.uniform(0.05, 0.3)),
        "energy_consumption": _d(revenue * intensity),
        "export_value": _d(revenue * rng.uniform(0.02, 0.15)) if rng.random() < 0.25 else _d(0),
        "safety_incidents": 0,
        "quality_incidents": 0,
        "environmental_incidents": 0,
        "uses_digital_rd_tools": rng.random() < 0.7,
        "cnc_ratio": _d(rng.uniform(30, 85)) if code.startswith("C") else None,
        "uses_cloud": rng.random() < 0.6,
        "uses_ecommerce": rng.random() < 0.4,
    }


def _monthly(rng, annual, month, yearly_revenue):
    revenue = yearly_revenue * SEASON[month - 1] * rng.uniform(0.93, 1.07)
    ratio = revenue / float(annual["operating_revenue"])
    return {
        "operating_revenue": _d(revenue),
        "main_business_revenue": _d(revenue * rng.uniform(0.9, 0.98)),
        "output_value": None if annual["output_value"] is None else _d(revenue * 1.02),
        "taxes": _d(float(annual["taxes"]) * ratio),
        "total_profit": _d(float(annual["total_profit"]) * ratio),
        "employees": max(1, annual["employees"] + rng.randint(-3, 3)),
        "energy_consumption": _d(float(annual["energy_consumption"]) * ratio),
    }


def _month_status(rng, month):
    if month <= 8:
        return ReportStatus.VERIFIED
    draw = rng.random()
    if month == 9:
        return ReportStatus.VERIFIED if draw < 0.8 else ReportStatus.SUBMITTED
    if draw < 0.7:
        return ReportStatus.SUBMITTED
    return ReportStatus.DRAFT if draw < 0.9 else ReportStatus.RETURNED


def _when(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


@dataclass
class _Filing:
    report: MonitoringReport
    filer: object


def _filings(enterprise, users, rng):
    """The unsaved reports of one firm, each with who files and who verifies it."""
    code = enterprise.industry.code
    industrial = is_industrial(code)
    region = enterprise.region
    filer = users.get(FILERS.get(region.code) or FILERS.get(getattr(region.parent, "code", "")))
    filer = filer or users["province"]
    productivity = rng.uniform(40, 120) if industrial else rng.uniform(15, 60)
    revenues = _revenues(rng, industrial)
    quirk = rng.random()
    if quirk < 0.03:  # a jump the year-on-year rule flags
        revenues[2] *= 1.8
    filings = []
    annual = None
    for index, year in enumerate(YEARS):
        annual = _annual(rng, code, industrial, revenues[index], productivity, index)
        report = MonitoringReport(
            enterprise=enterprise, period_kind=PeriodKind.YEAR, year=year, period=0,
            status=ReportStatus.VERIFIED, created_by=filer, verified_by=filer,
            submitted_at=_when(year + 1, 4, 20), verified_at=_when(year + 1, 4, 28), **annual,
        )
        filings.append(_Filing(report, filer))
    for month in MONTHS:
        figures = _monthly(rng, annual, month, revenues[3])
        if month == 10 and 0.03 <= quirk < 0.05:
            figures["employees"] = None  # revenue with no employee figure
        if month == 10 and 0.05 <= quirk < 0.06:
            # Main-business and operating revenue typed into each other's cells.
            figures["main_business_revenue"], figures["operating_revenue"] = (
                _d(figures["operating_revenue"] * Decimal("1.05")), figures["operating_revenue"],
            )
        status = _month_status(rng, month)
        due = datetime.date(MONTH_YEAR, month, 1) + timedelta(days=40)
        report = MonitoringReport(
            enterprise=enterprise, period_kind=PeriodKind.MONTH, year=MONTH_YEAR, period=month,
            status=status, created_by=filer, **figures,
        )
        if status != ReportStatus.DRAFT:
            report.submitted_at = _when(due.year, due.month, 10)
        if status == ReportStatus.VERIFIED:
            report.verified_at, report.verified_by = _when(due.year, due.month, 15), filer
        filings.append(_Filing(report, filer))
    return filings


def _moves(report):
    """The status changes that led to the report's status, with their verbs and times."""
    filed = report.submitted_at or _when(MONTH_YEAR, 11, 20)
    moves = [(ReportVerb.FILE, "", ReportStatus.DRAFT, filed - timedelta(days=2), "")]
    if report.status == ReportStatus.DRAFT:
        return moves
    moves.append(
        (ReportVerb.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED, report.submitted_at, "")
    )
    if report.status == ReportStatus.VERIFIED:
        moves.append((
            ReportVerb.VERIFY, ReportStatus.SUBMITTED, ReportStatus.VERIFIED, report.verified_at,
            "",
        ))
    elif report.status == ReportStatus.RETURNED:
        moves.append((
            ReportVerb.RETURN, ReportStatus.SUBMITTED, ReportStatus.RETURNED,
            report.submitted_at + timedelta(days=3), RETURN_REASON,
        ))
    return moves


@transaction.atomic
def demo_monitoring_load():
    """File the demo firms' reports that do not exist yet, then re-derive their size classes."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[*FILERS.values(), "province"])
    }
    enterprises = list(
        Enterprise.objects.filter(created_by__isnull=True)
        .select_related("industry", "region__parent")
        .order_by("uscc")
    )
    if not enterprises or "province" not in users:
        return DemoMonitoringResult(0, 0, 0)
    existing = set(
        MonitoringReport.objects.filter(enterprise__in=enterprises).values_list(
            "enterprise_id", "period_kind", "year", "period"
        )
    )
    filings = []
    for enterprise in enterprises:
        rng = random.Random(f"{SEED}:{enterprise.uscc}")
        filings += _filings(enterprise, users, rng)
    references = {}
    for filing in filings:
        report = filing.report
        references[(report.enterprise_id, report.period_kind, report.year, report.period)] = report
    missing = []
    for filing in filings:
        report = filing.report
        key = (report.enterprise_id, report.period_kind, report.year, report.period)
        if key in existing:
            continue
        previous = references.get((key[0], key[1], key[2] - 1, key[3]))
        report.flags = report_flags(report, previous=previous)
        missing.append(filing)
    with pghistory.context(reason=HISTORY_REASON):
        bulk.insert_rows(MonitoringReport, [f.report for f in missing])
        bulk.insert_values(
            MonitoringReportTransition,
            ("report", "verb", "from_status", "to_status", "actor", "reason", "at"),
            [
                (f.report.pk, verb, source, target, f.filer.pk, reason, at)
                for f in missing
                for verb, source, target, at, reason in _moves(f.report)
            ],
        )
        refreshed = enterprises_refresh_figures(enterprise_ids=[e.pk for e in enterprises])
    # The reports went in around the services: the kept figures are recomputed from them.
    region_figures_reconcile()
    return DemoMonitoringResult(len(missing), len(filings) - len(missing), len(refreshed))
