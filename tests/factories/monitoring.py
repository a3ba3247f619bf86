from decimal import Decimal

import factory

from accounts.choices import Role
from registry.choices import PeriodKind, ReportStatus
from registry.models import MonitoringReport
from registry.services.figures import region_figures_refresh_touched
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory


class MonitoringReportFactory(factory.django.DjangoModelFactory):
    """A draft annual report for 2024 of a 城关区 machinery firm; written directly, not through
    services, so tests can set up any status."""

    class Meta:
        model = MonitoringReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    period_kind = PeriodKind.YEAR
    year = 2024
    period = 0
    status = ReportStatus.DRAFT
    created_by = factory.SubFactory(UserFactory, role=Role.COUNTY_STAFF)
    operating_revenue = Decimal("2400.00")
    main_business_revenue = Decimal("2300.00")
    taxes = Decimal("96.00")
    total_assets = Decimal("3600.00")
    employees = 120
    rd_staff = 18
    rd_expense = Decimal("110.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        report = super()._create(model_class, *args, **kwargs)
        # Written around the services: the figures kept per region are recomputed as the
        # services do once they commit.
        region_figures_refresh_touched(
            enterprise_ids=[report.enterprise_id],
            periods=[(report.period_kind, report.year, report.period)],
        )
        return report


def figures(**overrides):
    """A consistent set of annual figures (a medium-sized industrial firm above scale)."""
    values = {
        "operating_revenue": Decimal("2400.00"),
        "main_business_revenue": Decimal("2300.00"),
        "output_value": Decimal("2500.00"),
        "taxes": Decimal("96.00"),
        "total_profit": Decimal("180.00"),
        "net_profit": Decimal("150.00"),
        "total_assets": Decimal("3600.00"),
        "total_liabilities": Decimal("1500.00"),
        "employees": 320,
        "rd_staff": 40,
        "rd_expense": Decimal("110.00"),
        "patents_class1": 3,
        "patents_class2": 12,
        "land_area": Decimal("45.50"),
        "energy_consumption": Decimal("860.00"),
        "export_value": Decimal("0.00"),
        "safety_incidents": 0,
        "quality_incidents": 0,
        "environmental_incidents": 0,
        "uses_digital_rd_tools": True,
        "cnc_ratio": Decimal("62.50"),
        "uses_cloud": True,
        "uses_ecommerce": False,
    }
    values.update(overrides)
    return values
