"""Builders for certification tests: verified annual reports in the database, and the pure
engine's facts without one."""

import datetime
import importlib
from decimal import Decimal

import factory
from django.utils import timezone

from certification import rubric
from registry.choices import PeriodKind, ReportStatus
from registry.models import MonitoringReport
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory

# A sound manufacturing firm's year (万元, persons): every figure the metrics read.
SOUND_YEAR = {
    "operating_revenue": Decimal("10000"),
    "main_business_revenue": Decimal("9000"),
    "net_profit": Decimal("850"),
    "total_assets": Decimal("12000"),
    "total_liabilities": Decimal("6600"),
    "employees": 150,
    "rd_staff": 24,
    "rd_expense": Decimal("650"),
    "safety_incidents": 0,
    "quality_incidents": 0,
    "environmental_incidents": 0,
}


class VerifiedAnnualReportFactory(factory.django.DjangoModelFactory):
    """A verified annual monitoring report, written directly rather than through the services."""

    class Meta:
        model = MonitoringReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    period_kind = PeriodKind.YEAR
    year = 2025
    period = 0
    status = ReportStatus.VERIFIED
    created_by = factory.SubFactory(UserFactory)
    verified_by = factory.SelfAttribute("created_by")
    submitted_at = factory.LazyFunction(timezone.now)
    verified_at = factory.LazyFunction(timezone.now)
    operating_revenue = SOUND_YEAR["operating_revenue"]
    main_business_revenue = SOUND_YEAR["main_business_revenue"]
    net_profit = SOUND_YEAR["net_profit"]
    total_assets = SOUND_YEAR["total_assets"]
    total_liabilities = SOUND_YEAR["total_liabilities"]
    employees = SOUND_YEAR["employees"]
    rd_staff = SOUND_YEAR["rd_staff"]
    rd_expense = SOUND_YEAR["rd_expense"]
    safety_incidents = 0
    quality_incidents = 0
    environmental_incidents = 0


AS_FOUNDED = object()  # facts(): the niche-market start declared on the founding date


def facts(
    year=2025,
    reports=None,
    *,
    founded_on=datetime.date(2012, 5, 18),
    niche_market="有色金属矿山破碎设备",
    declared=None,
    inputs=None,
    niche_since=AS_FOUNDED,
    industry_code="C35",
    zjtx_certificate=None,
    **overrides,
):
    """Facts for the pure engine: three sound years unless ``reports`` is given.

    ``overrides`` change figures of the figures year; a value of None removes the figure.
    Declared figures and inputs are given as plain values / dicts and wrapped here. The
    niche-market start date is declared (with evidence) on the founding date unless
    ``niche_since`` says otherwise (None: not declared).
    """
    if reports is None:
        reports = {y: dict(SOUND_YEAR) for y in (year - 2, year - 1, year)}
        # Main-business revenue grows by 12.5 % and 11.1 % in the last two years.
        reports[year - 2]["main_business_revenue"] = Decimal("7200")
        reports[year - 1]["main_business_revenue"] = Decimal("8000")
        reports[year - 1]["rd_expense"] = Decimal("500")
    reports[year] = {**reports.get(year, {}), **overrides}
    return rubric.Facts(
        year=year,
        reports={y: {k: v for k, v in figures.items() if v is not None}
                 for y, figures in reports.items()},
        founded_on=founded_on,
        niche_market=niche_market,
        declared=_declared(declared, founded_on if niche_since is AS_FOUNDED else niche_since),
        inputs={code: _manual(entry) for code, entry in (inputs or {}).items()},
        industry_code=industry_code,
        zjtx_certificate=zjtx_certificate,
    )


def _declared(declared, niche_since):
    entries = {
        name: rubric.ManualInput(evidence="股权投资协议及银行进账单", value=Decimal(str(value)))
        for name, value in (declared or {}).items()
    }
    if niche_since is not None:
        entries["niche_market_since"] = rubric.ManualInput(
            evidence="首份细分市场产品销售合同（附件3）", value=niche_since
        )
    return entries


def _manual(entry):
    if isinstance(entry, bool):
        return rubric.ManualInput(evidence="证明材料", met=entry)
    if isinstance(entry, dict):
        return rubric.ManualInput(
            evidence="证明材料",
            value=None if entry.get("value") is None else Decimal(str(entry["value"])),
            points=None if entry.get("points") is None else Decimal(str(entry["points"])),
        )
    return rubric.ManualInput(evidence="证明材料", points=Decimal(str(entry)))


def seeded_rules(kind):
    """A seeded rule set as the engine reads it, built from the data migration's own tables.

    Pure tests use it without a database; a database test checks that the seeded rows read
    back the same.
    """
    seed = importlib.import_module("certification.migrations.0002_seed_rule_sets")
    spec = next(s for s in (seed.INNOVATIVE, seed.ZJTX, seed.LITTLE_GIANT)
                if s["ruleset"]["kind"] == kind)
    pass_mark = spec["ruleset"]["pass_mark"]
    return rubric.Rules(
        code=spec["ruleset"]["code"],
        kind=kind,
        pass_mark=None if pass_mark is None else Decimal(str(pass_mark)),
        group_minimums=spec["ruleset"]["group_minimums"],
        items=tuple(
            rubric.Item(
                code=item["code"],
                kind=item["kind"],
                mode=item["mode"],
                group=item["group"],
                title=item["title"],
                title_en=item["title_en"],
                metric=item.get("metric", ""),
                max_points=(
                    None if item.get("max_points") is None else Decimal(str(item["max_points"]))
                ),
                bands=tuple(item.get("bands", ())),
                alternatives=tuple(item.get("alternatives", ())),
                criteria=item.get("criteria", {}),
                waives=item.get("waives", ""),
            )
            for item in spec["items"]
        ),
    )
