"""Pool entries, plans, visits and targets written directly, so tests can set up any state."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import Role
from registry.choices import PeriodKind, PoolEntryStatus, PoolKind, PoolTier, ReportStatus
from registry.models import CultivationPlan, PlanFigure, PlanTarget, PoolEntry, ServiceVisit, Target
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import EnterpriseFactory, region


class PoolEntryFactory(factory.django.DjangoModelFactory):
    """An active county-tier entry of the 专精特新 pool for a 城关区 firm."""

    class Meta:
        model = PoolEntry

    enterprise = factory.SubFactory(EnterpriseFactory)
    pool = PoolKind.ZJTX
    tier = PoolTier.COUNTY
    status = PoolEntryStatus.ACTIVE
    admission_year = 2026
    admission_reason = "细分市场占有率居全省前列"
    admitted_by = factory.SubFactory(UserFactory, role=Role.COUNTY_STAFF)
    closed_at = factory.LazyAttribute(
        lambda o: None if o.status == PoolEntryStatus.ACTIVE else timezone.now()
    )


class CultivationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CultivationPlan

    entry = factory.SubFactory(PoolEntryFactory)
    measures = "协调技改贷款贴息；对接省级工业设计中心"
    goals = "三年内主营业务收入突破2000万元"
    responsible_official = "王晓燕"
    review_on = datetime.date(2026, 12, 31)
    created_by = factory.SubFactory(UserFactory, role=Role.COUNTY_STAFF)


class ServiceVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceVisit

    entry = factory.SubFactory(PoolEntryFactory)
    visited_on = datetime.date(2026, 3, 15)
    officer = "张丽"
    problems = "流动资金紧张"
    created_by = factory.SubFactory(UserFactory, role=Role.COUNTY_STAFF)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    year = 2026
    region = factory.LazyFunction(lambda: region("620100"))
    metric = "pool_county"
    value = 10
    set_by = factory.SubFactory(UserFactory, role=Role.PROVINCIAL_REVIEWER,
                                region=factory.LazyFunction(lambda: region("620000")))


def verified_annual(enterprise, year, main_business_revenue):
    """A verified annual report giving ``main_business_revenue`` (万元) for ``year``."""
    revenue = None if main_business_revenue is None else Decimal(str(main_business_revenue))
    return MonitoringReportFactory(
        enterprise=enterprise,
        period_kind=PeriodKind.YEAR,
        year=year,
        status=ReportStatus.VERIFIED,
        main_business_revenue=revenue,
        operating_revenue=revenue,
    )


class PlanFigureFactory(factory.django.DjangoModelFactory):
    """A hand-entered figure of one of the 2018 plan's targets (loaded by a data migration)."""

    class Meta:
        model = PlanFigure

    target = factory.LazyFunction(lambda: PlanTarget.objects.order_by("pk").first())
    value = Decimal("30.5")
    as_of = datetime.date(2020, 12, 31)
    source = "甘肃统计年鉴2021"
    entered_by = factory.SubFactory(
        UserFactory,
        role=Role.PROVINCIAL_REVIEWER,
        region=factory.LazyFunction(lambda: region("620000")),
    )
