"""``seed_scale``: synthetic firms at scale, loaded with COPY, as valid as entered ones."""

import pytest
from django.core.management import call_command
from django.db import connection

from certification.choices import ApplicationStatus, CertificateLevel
from certification.models import Application, Certificate
from demo.registry import demo_data_load
from demo.scale import seed_scale
from registry.choices import PeriodKind, RegionLevel
from registry.models import Enterprise, MonitoringReport, PoolEntry, Region
from registry.uscc import validate
from subsidies.models import Entitlement

pytestmark = pytest.mark.django_db


def history_rows(model):
    event = model.pgh_event_model
    return event.objects.count()


def test_seeded_firms_are_valid_spread_and_carry_no_history_but_later_edits_do():
    demo_data_load()
    before = {m: m.objects.count() for m in (Enterprise, MonitoringReport, Certificate)}
    history_before = history_rows(Enterprise)

    counts = seed_scale(enterprises=300, years=3, last_year=2025)

    assert counts.enterprises == 300
    assert Enterprise.objects.count() == before[Enterprise] + 300
    seeded = Enterprise.objects.order_by("-id")[:300]
    for firm in seeded:
        validate(firm.uscc)
    # Every prefecture unit gets firms, and most counties do.
    counties = Region.objects.filter(level=RegionLevel.COUNTY).count()
    regions = {firm.region_id for firm in seeded}
    assert len(regions) > counties // 2
    # Annual figures for each year since founding, monthly ones for above-scale firms.
    firm = next(f for f in seeded if f.is_above_scale and f.founded_on.year < 2023)
    reports = MonitoringReport.objects.filter(enterprise=firm)
    assert reports.filter(period_kind=PeriodKind.YEAR).count() == 3
    assert reports.filter(period_kind=PeriodKind.MONTH, year=2025).count() == 12
    assert counts.reports == MonitoringReport.objects.count() - before[MonitoringReport]
    # Each certificate has its certified application and one award.
    assert counts.certificates == Certificate.objects.count() - before[Certificate] > 0
    certified = Application.objects.filter(status=ApplicationStatus.CERTIFIED)
    assert certified.filter(certificate__isnull=False).count() >= counts.certificates
    assert Entitlement.objects.filter(certificate__in=Certificate.objects.all()).count() >= (
        counts.entitlements
    )
    assert PoolEntry.objects.count() >= counts.pool_entries > 50  # a third of 300

    assert history_rows(Enterprise) == history_before
    firm.name = firm.name + "（更名）"
    firm.save()
    assert history_rows(Enterprise) == history_before + 1


def test_a_second_seed_adds_firms_with_new_codes_and_numbers():
    demo_data_load()
    seed_scale(enterprises=100, years=2, last_year=2025)
    seed_scale(enterprises=100, years=2, last_year=2025)
    codes = Enterprise.objects.values_list("uscc", flat=True)
    assert len(codes) == len(set(codes))
    numbers = Certificate.objects.filter(level=CertificateLevel.PROVINCIAL)
    assert numbers.count() == numbers.values("number").distinct().count()


def test_the_command_reports_what_it_loaded(capsys):
    demo_data_load()
    call_command("seed_scale", "--enterprises", "50", "--years", "2", "--last-year", "2025")
    out = capsys.readouterr().out
    assert out.startswith("50 enterprises, ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'registry_enterprise'::regclass "
            "AND NOT tgisinternal AND tgenabled = 'D'"
        )
        assert cursor.fetchone()[0] == 0
