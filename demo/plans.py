"""Demo history of the 2018 plan's years (2018–2020), so its targets show progress.

The demo firms' monitoring data start in 2023; the plan (甘工信发〔2018〕551号, loaded by a
registry migration) is judged at the end of 2020. This adds, for the demo firms founded by
then, verified annual reports of 2018–2020 drawn back from their 2023 figures (seeded by the
credit code, so every run gives the same numbers), pool entries admitted in 2019–2020 and
closed in 2022, provincial certificates issued in 2019–2020 (since expired) and one national
certificate, and the one figure the registry cannot compute (the share of value added),
entered by the provincial demo user through the service with its (demo) source. Rows that
exist already are left alone; a second run writes nothing.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certification.choices import CertificateLevel, CertificateStatus
from certification.models import Certificate, CertificateSequence
from certification.services.certificates import format_number, term_end
from demo.monitoring import FILERS, _moves
from demo.registry import HISTORY_REASON
from gansu_sme import bulk
from registry.choices import (
    PeriodKind,
    PlanMetric,
    PoolEntryStatus,
    PoolKind,
    PoolTier,
    PoolTrack,
    ReportStatus,
)
from registry.models import (
    Enterprise,
    MonitoringReport,
    MonitoringReportTransition,
    PlanFigure,
    PlanTarget,
    PoolEntry,
)
from registry.quality import report_flags
from registry.services import plan_figure_enter
from registry.services.figures import region_figures_reconcile

SEED = 20181122
PLAN_YEARS = (2018, 2019, 2020)
BASE_YEAR = 2023
# Copied from the firm's 2023 report and scaled back by the years between.
SCALED = ("operating_revenue", "main_business_revenue", "output_value", "taxes", "total_profit",
          "net_profit", "total_assets", "total_liabilities", "rd_expense", "energy_consumption",
          "export_value")
KEPT = ("employees", "rd_staff", "land_area", "safety_incidents", "quality_incidents",
        "environmental_incidents", "uses_digital_rd_tools", "cnc_ratio", "uses_cloud",
        "uses_ecommerce")
POOL_FIRMS = 60
PROVINCIAL_CERTIFICATES = 16
CLOSED_REASON = "2018—2020年培育周期结束，转入新一轮培育库。"
VALUE_ADDED_SOURCE = "演示数据：2020年全省规模以上工业中小企业增加值占比（示例来源，非官方数字）"


@dataclass(frozen=True)
class DemoPlanResult:
    reports: int
    pool_entries: int
    certificates: int
    figures: int

    @property
    def unchanged(self):
        return not (self.reports or self.pool_entries or self.certificates or self.figures)


def _when(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def _filer(firm, users):
    region = firm.region
    name = FILERS.get(region.code) or FILERS.get(getattr(region.parent, "code", ""))
    return users.get(name) or users["province"]


def _reports(firms, base, users):
    existing = set(
        MonitoringReport.objects.filter(
            enterprise__in=firms, period_kind=PeriodKind.YEAR, year__in=PLAN_YEARS
        ).values_list("enterprise_id", "year")
    )
    made = []
    previous = {}
    for firm in firms:
        filer = _filer(firm, users)
        report = base.get(firm.pk)
        if report is None:
            continue
        rng = random.Random(f"{SEED}:{firm.uscc}")
        # Yearly growth from the plan's years up to 2023: most grew, some shrank.
        growth = rng.uniform(-0.04, 0.12)
        for year in PLAN_YEARS:
            if year < firm.founded_on.year or (firm.pk, year) in existing:
                continue
            factor = Decimal(str((1 + growth) ** (BASE_YEAR - year) * rng.uniform(0.97, 1.03)))
            figures = {
                name: None if getattr(report, name) is None
                else (getattr(report, name) / factor).quantize(Decimal("0.01"))
                for name in SCALED
            }
            figures.update({name: getattr(report, name) for name in KEPT})
            figures["patents_class1"] = max(0, (report.patents_class1 or 0) - (BASE_YEAR - year))
            back = BASE_YEAR - year
            figures["patents_class2"] = max(0, (report.patents_class2 or 0) - 2 * back)
            filed = MonitoringReport(
                enterprise=firm, period_kind=PeriodKind.YEAR, year=year, period=0,
                status=ReportStatus.VERIFIED, created_by=filer, verified_by=filer,
                submitted_at=_when(year + 1, 4, 20), verified_at=_when(year + 1, 4, 28),
                **figures,
            )
            filed.flags = report_flags(filed, previous=previous.get((firm.pk, year - 1)))
            previous[(firm.pk, year)] = filed
            made.append((filed, filer))
    bulk.insert_rows(MonitoringReport, [report for report, _filer in made])
    bulk.insert_values(
        MonitoringReportTransition,
        ("report", "verb", "from_status", "to_status", "actor", "reason", "at"),
        [
            (report.pk, verb, source, target, filer.pk, reason, at)
            for report, filer in made
            for verb, source, target, at, reason in _moves(report)
        ],
    )
    return len(made)


def _pool(firms, admitted_by):
    if PoolEntry.objects.filter(admission_year__in=PLAN_YEARS[1:]).exists():
        return 0
    chosen = [f for f in firms if f.founded_on.year <= 2018][:POOL_FIRMS]
    for index, firm in enumerate(chosen):
        year = 2019 if index % 3 else 2020
        entry = PoolEntry.objects.create(
            enterprise=firm, pool=PoolKind.ZJTX, track=PoolTrack.ZJTX, tier=PoolTier.COUNTY,
            status=PoolEntryStatus.GRADUATED, admission_year=year,
            admission_reason="2018—2020年“专精特新”培育库入库企业。", admitted_by=admitted_by,
            closed_reason=CLOSED_REASON, closed_at=_when(2022, 3, 31),
        )
        PoolEntry.objects.filter(pk=entry.pk).update(admitted_at=_when(year, 5, 10))
    return len(chosen)


def _certificates(firms):
    if Certificate.objects.filter(year__in=PLAN_YEARS).exists():
        return 0
    chosen = [f for f in firms if f.founded_on.year <= 2017][-PROVINCIAL_CERTIFICATES - 1:]
    made = []
    serials = {}
    for index, firm in enumerate(chosen):
        national = index == len(chosen) - 1
        level = CertificateLevel.NATIONAL if national else CertificateLevel.PROVINCIAL
        issued = datetime.date(2020, 9, 1) if national or index % 2 else datetime.date(2019, 6, 1)
        serial = serials[(issued.year, level)] = serials.get((issued.year, level), 0) + 1
        made.append(Certificate(
            number=format_number(level, issued.year, serial), year=issued.year, serial=serial,
            level=level, enterprise=firm, ruleset_code="zjtx-2018", issued_on=issued,
            valid_until=term_end(issued), status=CertificateStatus.EXPIRED,
            national_document="工信部企业函〔2020〕159号" if national else "",
        ))
    Certificate.objects.bulk_create(made)
    for (year, level), last in serials.items():
        CertificateSequence.objects.update_or_create(year=year, level=level,
                                                     defaults={"last": last})
    return len(made)


def _figures(province):
    target = PlanTarget.objects.filter(metric=PlanMetric.VALUE_ADDED_SHARE).first()
    if target is None or PlanFigure.objects.filter(target=target).exists():
        return 0
    plan_figure_enter(actor=province, target=target, value=Decimal("27.40"),
                      as_of=datetime.date(2020, 12, 31), source=VALUE_ADDED_SOURCE)
    return 1


@transaction.atomic
def demo_plans_load():
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=(*FILERS.values(), "province"))}
    firms = list(
        Enterprise.objects.filter(created_by__isnull=True, founded_on__year__lte=2020)
        .select_related("region__parent").order_by("uscc")
    )
    if not firms or "province" not in users:
        return DemoPlanResult(0, 0, 0, 0)
    base = {
        r.enterprise_id: r for r in MonitoringReport.objects.filter(
            enterprise__in=firms, period_kind=PeriodKind.YEAR, year=BASE_YEAR,
            status=ReportStatus.VERIFIED,
        )
    }
    with pghistory.context(reason=HISTORY_REASON):
        result = DemoPlanResult(
            reports=_reports(firms, base, users),
            pool_entries=_pool(firms, users["province"]),
            certificates=_certificates(firms),
            figures=_figures(users["province"]),
        )
    # The reports went in around the services: the kept figures are recomputed from them.
    region_figures_reconcile()
    return result
