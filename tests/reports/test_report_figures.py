"""Every figure of the monthly and quarterly reports, on the demo data, against plain SQL.

The SQL below is written independently of the ORM code in reports/figures.py (DISTINCT ON for
"the verified report, else the submitted one", jsonb functions for the flags, explicit joins on
region paths), so a wrong filter on either side shows up as a difference.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate
from demo.monitoring import demo_monitoring_load
from demo.pool import demo_pool_load
from demo.registry import demo_data_load
from gansu_sme.querysets import ScopedQuerySet
from registry.choices import PoolEntryStatus, PoolKind, PoolTier, TargetMetric
from registry.models import Enterprise, MonitoringReport, PoolEntry
from reports.choices import ReportKind
from reports.services.reports import report_generate
from subsidies.models import Entitlement
from tests.factories.pool import PoolEntryFactory, TargetFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import budget, certificate, finance_officer

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 10
START, END = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
LAST_DAY = datetime.date(2026, 10, 31)
REGIONS = ("620000", "620100", "620102")
UNDER = "(r.path = %(path)s OR r.path LIKE %(below)s)"


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sql(query, **params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def one(query, **params):
    [row] = sql(query, **params)
    return row


def text(value):
    return None if value is None else str(value)


@pytest.fixture
def demo(db):
    """The demo data, plus certificates, pool moves and a paid award in October 2026, which the
    demo itself does not have."""
    demo_data_load()
    demo_monitoring_load()
    demo_pool_load()
    # The demo admits every entry when it loads (today); give the entries of earlier years an
    # admission time in their year. Those of 2026 stay admitted after October, so the October
    # report must leave them out although their admission year is not later than 2026.
    for year in PoolEntry.objects.filter(admission_year__lt=YEAR).values_list(
        "admission_year", flat=True
    ).distinct():
        PoolEntry.objects.filter(admission_year=year).update(
            admitted_at=at(datetime.date(year, 3, 1))
        )
    firms = list(Enterprise.objects.filter(region__code="620102").order_by("uscc")[:6])
    other = Enterprise.objects.filter(region__parent__code="620500").order_by("uscc").first()
    issued = certificate(firms[0], year=2026)  # 1 June 2026
    certificate(firms[1], year=2026).__class__.objects.filter(enterprise=firms[1]).update(
        issued_on=datetime.date(2026, 10, 9)
    )
    certificate(firms[2], level=CertificateLevel.NATIONAL, year=2024)
    revoked = certificate(firms[3], year=2025)
    revoked.status = CertificateStatus.REVOKED
    revoked.revocation_reason = RevocationReason.values[0]
    revoked.revoked_at = at(datetime.date(2026, 10, 15))
    revoked.save()
    ending = certificate(firms[4], year=2023)
    ending.valid_until = datetime.date(2026, 12, 20)  # within 90 days of the period's end
    ending.save()
    ended = certificate(other, year=2023)
    ended.valid_until = datetime.date(2026, 10, 5)
    ended.status = CertificateStatus.EXPIRED
    ended.save()
    # Pool moves recorded in October: two admissions, one removal.
    entries = PoolEntry.objects.filter(status=PoolEntryStatus.ACTIVE, promoted_from=None)
    entries = list(entries.order_by("pk")[:3])
    PoolEntry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(
        admitted_at=at(datetime.date(2026, 10, 3))
    )
    PoolEntry.objects.filter(pk=entries[2].pk).update(
        status=PoolEntryStatus.REMOVED, closed_at=at(datetime.date(2026, 10, 20)),
        closed_reason="企业迁出",
    )
    _paid_award(firms[0], issued)
    return firms


def _paid_award(firm, cert):
    from subsidies.models import Allocation, Entitlement, Program

    officer = finance_officer(username="finance-reports")
    allocation = Allocation.objects.get(budget=budget(officer, year=2026), city=region("620100"))
    program = Program.objects.get(code="provincial-zjtx-2021")
    Entitlement.objects.create(
        allocation=allocation, approved_by=officer, approved_at=at(datetime.date(2026, 10, 20)),
        program=program, once_per_firm=True, enterprise=firm, city=region("620100"),
        region=firm.region, year=2026, payee_name=firm.name, payee_code=firm.uscc,
        purpose="省级专精特新认定奖励", full_amount=Decimal("300000"), amount=Decimal("300000"),
        certificate=cert, status="paid", paid_on=datetime.date(2026, 10, 28),
    )


def _params(code):
    path = region(code).path
    return {"path": path, "below": f"{path}/%"}


def _expected_monthly(code):
    p = _params(code)
    end_at = at(END)
    start_at = at(START)
    pool = {}
    in_pool = f"""FROM registry_poolentry pe
            JOIN registry_enterprise e ON e.id = pe.enterprise_id
            JOIN registry_region r ON r.id = e.region_id
            WHERE {UNDER} AND pe.admitted_at < %(end)s
              AND (pe.closed_at IS NULL OR pe.closed_at >= %(end)s)"""
    for pool_kind, tier, n in sql(
        f"SELECT pe.pool, pe.tier, count(*) {in_pool} GROUP BY 1, 2", end=end_at, **p
    ):
        pool[(pool_kind, tier)] = n
    [pool_firms] = one(f"SELECT count(DISTINCT pe.enterprise_id) {in_pool}", end=end_at, **p)
    admitted, promoted, graduated, removed = one(
        f"""SELECT
              count(*) FILTER (WHERE pe.admitted_at >= %(s)s AND pe.admitted_at < %(e)s
                               AND pe.promoted_from_id IS NULL),
              count(*) FILTER (WHERE pe.closed_at >= %(s)s AND pe.closed_at < %(e)s
                               AND pe.status = 'promoted'),
              count(*) FILTER (WHERE pe.closed_at >= %(s)s AND pe.closed_at < %(e)s
                               AND pe.status = 'graduated'),
              count(*) FILTER (WHERE pe.closed_at >= %(s)s AND pe.closed_at < %(e)s
                               AND pe.status = 'removed')
            FROM registry_poolentry pe JOIN registry_enterprise e ON e.id = pe.enterprise_id
            JOIN registry_region r ON r.id = e.region_id WHERE {UNDER}""",
        s=start_at, e=end_at, **p,
    )
    filed = """(SELECT DISTINCT ON (m.enterprise_id) m.* FROM registry_monitoringreport m
                WHERE m.period_kind = 'month' AND m.year = %(y)s AND m.period = %(m)s
                  AND m.status IN ('verified', 'submitted')
                ORDER BY m.enterprise_id, (m.status = 'verified') DESC, m.id)"""
    [expected] = one(
        f"""SELECT count(*) FROM registry_enterprise e JOIN registry_region r
            ON r.id = e.region_id WHERE {UNDER} AND e.is_active""", **p,
    )
    submitted, verified = one(
        f"""SELECT count(*), count(*) FILTER (WHERE f.status = 'verified') FROM {filed} f
            JOIN registry_enterprise e ON e.id = f.enterprise_id
            JOIN registry_region r ON r.id = e.region_id WHERE {UNDER} AND e.is_active""",
        y=YEAR, m=MONTH, **p,
    )

    def economy(y, m):
        return one(
            f"""SELECT count(*), sum(f.operating_revenue), sum(f.taxes), sum(f.employees)
                FROM {filed} f JOIN registry_enterprise e ON e.id = f.enterprise_id
                JOIN registry_region r ON r.id = e.region_id WHERE {UNDER}""",
            y=y, m=m, **p,
        )

    now, before, last_year = economy(YEAR, MONTH), economy(YEAR, MONTH - 1), economy(YEAR - 1, 10)
    growth = {}
    for index, name in enumerate(("operating_revenue", "taxes", "employees"), start=1):
        for label, other in (("mom", before), ("yoy", last_year)):
            [value] = one(
                "SELECT round((%(a)s::numeric - %(b)s) * 100 / NULLIF(%(b)s, 0), 2)",
                a=now[index], b=other[index],
            )
            growth[(label, name)] = text(value)

    annual = f"""FROM registry_monitoringreport m JOIN registry_enterprise e
        ON e.id = m.enterprise_id JOIN registry_region r ON r.id = e.region_id
        WHERE {UNDER} AND m.period_kind = 'year' AND m.year = 2025 AND m.status = 'verified'"""
    above = "e.is_above_scale AND e.size_class <> 'large'"
    rd_cols = """count(DISTINCT m.enterprise_id), sum(m.rd_expense), sum(m.main_business_revenue),
        round(sum(m.rd_expense) * 100 / NULLIF(sum(m.main_business_revenue), 0), 2)"""
    rd_rows = "AND m.rd_expense IS NOT NULL AND m.main_business_revenue IS NOT NULL"
    rd_above = one(f"SELECT {rd_cols} {annual} AND {above} {rd_rows}", **p)
    valid_cert = """EXISTS (SELECT 1 FROM certification_certificate c
        WHERE c.enterprise_id = {col} AND c.issued_on <= %(day)s AND c.valid_until >= %(day)s
          AND NOT (c.status = 'revoked' AND c.revoked_at < %(next)s))"""
    cert_q = valid_cert.format(col="m.enterprise_id")
    day_params = {"day": LAST_DAY, "next": at(END)}
    rd_zjtx = one(f"SELECT {rd_cols} {annual} AND {cert_q} {rd_rows}", **p, **day_params)
    info = one(
        f"""SELECT count(*),
              count(*) FILTER (WHERE m.uses_digital_rd_tools),
              count(m.uses_digital_rd_tools),
              round(count(*) FILTER (WHERE m.uses_digital_rd_tools) * 100.0
                    / NULLIF(count(m.uses_digital_rd_tools), 0), 2),
              round(avg(m.cnc_ratio), 2), count(m.cnc_ratio),
              round(count(*) FILTER (WHERE m.uses_cloud) * 100.0
                    / NULLIF(count(m.uses_cloud), 0), 2),
              round(count(*) FILTER (WHERE m.uses_ecommerce) * 100.0
                    / NULLIF(count(m.uses_ecommerce), 0), 2)
            {annual} AND {above}""",
        **p,
    )
    open_flags = f"""FROM registry_monitoringreport m JOIN registry_enterprise e
        ON e.id = m.enterprise_id JOIN registry_region r ON r.id = e.region_id
        WHERE {UNDER} AND m.status IN ('draft', 'submitted', 'returned')
          AND jsonb_array_length(m.flags) > 0"""
    flag_reports, flag_count = one(
        f"SELECT count(*), coalesce(sum(jsonb_array_length(m.flags)), 0) {open_flags}", **p
    )
    with_elements = open_flags.replace(
        "FROM registry_monitoringreport m",
        "FROM registry_monitoringreport m CROSS JOIN jsonb_array_elements(m.flags) flag",
    )
    by_rule = dict(sql(f"SELECT flag->>'rule', count(*) {with_elements} GROUP BY 1", **p))
    certs = f"""FROM certification_certificate c JOIN registry_enterprise e
        ON e.id = c.enterprise_id JOIN registry_region r ON r.id = e.region_id WHERE {UNDER}"""
    valid_here = """(c.issued_on <= %(day)s AND c.valid_until >= %(day)s
        AND NOT (c.status = 'revoked' AND c.revoked_at < %(next)s))"""
    cert_counts = one(
        f"""SELECT
              count(*) FILTER (WHERE c.issued_on >= %(s)s AND c.issued_on < %(e)s),
              count(*) FILTER (WHERE c.revoked_at >= %(sa)s AND c.revoked_at < %(ea)s),
              count(*) FILTER (WHERE c.valid_until >= %(s)s AND c.valid_until < %(e)s
                               AND c.status <> 'revoked'),
              count(*) FILTER (WHERE {valid_here} AND c.level = 'provincial'),
              count(*) FILTER (WHERE {valid_here} AND c.level = 'national'),
              count(*) FILTER (WHERE {valid_here} AND c.valid_until < %(horizon)s)
            {certs}""",
        s=START, e=END, sa=at(START), ea=at(END),
        horizon=LAST_DAY + datetime.timedelta(days=90), **day_params, **p,
    )
    paid, payments = one(
        f"""SELECT coalesce(sum(a.amount), 0), count(*) FROM subsidies_entitlement a
            JOIN registry_region r ON r.id = a.region_id
            WHERE {UNDER} AND a.status IN ('paid', 'recovery_due', 'recovered')
              AND a.paid_on >= %(s)s AND a.paid_on < %(e)s""",
        s=START, e=END, **p,
    )
    return {
        "pool": pool,
        "pool_firms": pool_firms,
        "pool_moves": {
            "admitted": admitted, "promoted": promoted, "graduated": graduated,
            "removed": removed,
        },
        "monitoring": (expected, submitted, verified),
        "economy": (now, before, last_year, growth),
        "rd": (rd_above, rd_zjtx),
        "info": info,
        "flags": (flag_reports, flag_count, by_rule),
        "certificates": cert_counts,
        "awards": (paid, payments),
    }


def _rate(part, whole):
    [value] = one("SELECT round(%(a)s * 100.0 / NULLIF(%(b)s, 0), 2)", a=part, b=whole)
    return text(value)


@pytest.mark.parametrize("code", REGIONS)
def test_monthly_report_equals_plain_sql(demo, code):
    data = report_generate(
        kind=ReportKind.MONTHLY, year=YEAR, period=MONTH, region_id=region(code).pk
    ).data
    want = _expected_monthly(code)

    for pool_kind in ("zjtx", "scale_up"):
        for tier in ("county", "city", "province"):
            assert data["pool"][pool_kind][tier] == want["pool"].get((pool_kind, tier), 0)
    for pool_kind in ("zjtx", "scale_up"):
        assert data["pool"][pool_kind]["total"] == sum(
            n for (kind, _tier), n in want["pool"].items() if kind == pool_kind
        )
    assert data["pool"]["firms"] == want["pool_firms"]
    assert data["pool_moves"] == want["pool_moves"]

    expected, submitted, verified = want["monitoring"]
    mon = data["monitoring"]
    assert (mon["expected"], mon["submitted"], mon["verified"]) == (expected, submitted, verified)
    assert mon["submission_rate"] == _rate(submitted, expected)
    assert mon["verification_rate"] == _rate(verified, submitted)

    now, before, last_year, growth = want["economy"]
    eco = data["economy"]
    names = ("operating_revenue", "taxes", "employees")
    assert eco["reports"] == now[0]
    for index, name in enumerate(names, start=1):
        assert eco[name] == text(now[index])
        assert eco["previous_month"][name] == text(before[index])
        assert eco["same_month_last_year"][name] == text(last_year[index])
        assert eco["growth_on_previous_month"][name] == growth[("mom", name)]
        assert eco["growth_year_on_year"][name] == growth[("yoy", name)]

    for key, row in zip(("above_scale", "zjtx"), want["rd"], strict=True):
        part = data["rd"][key]
        assert (part["firms"], part["rd_expense"], part["main_business_revenue"],
                part["intensity"]) == (row[0], *map(text, row[1:]))

    info, got = want["info"], data["informatization"]
    assert got["firms"] == info[0]
    assert (got["digital_rd_tools"]["yes"], got["digital_rd_tools"]["answered"]) == info[1:3]
    assert got["digital_rd_tools"]["rate"] == text(info[3])
    assert (got["cnc_ratio"]["average"], got["cnc_ratio"]["answered"]) == (text(info[4]), info[5])
    assert got["cloud"]["rate"] == text(info[6])
    assert got["ecommerce"]["rate"] == text(info[7])

    flag_reports, flag_count, by_rule = want["flags"]
    assert data["quality_flags"] == {
        "reports": flag_reports, "flags": flag_count, "by_rule": by_rule
    }

    certs = data["certificates"]
    assert (
        certs["issued"], certs["revoked"], certs["expired"], certs["valid_provincial"],
        certs["valid_national"], certs["expiring_90_days"],
    ) == want["certificates"]
    paid, payments = want["awards"]
    assert data["awards"] == {"paid": text(paid), "payments": payments}


def test_the_demo_exercises_every_figure(demo):
    """Guards the comparison above against passing on zeros."""
    data = report_generate(
        kind=ReportKind.MONTHLY, year=YEAR, period=MONTH, region_id=region("620000").pk
    ).data
    assert data["pool"]["firms"] > 0
    # Entries of 2026 admitted after October exist, so the admission-time rule is exercised.
    assert PoolEntry.objects.filter(admission_year=YEAR, admitted_at__gte=at(END)).exists()
    assert data["pool_moves"]["admitted"] == 2 and data["pool_moves"]["removed"] == 1
    assert 0 < data["monitoring"]["submitted"] < data["monitoring"]["expected"]
    assert data["economy"]["growth_on_previous_month"]["operating_revenue"] is not None
    assert data["rd"]["above_scale"]["intensity"] is not None
    assert data["rd"]["zjtx"]["firms"] >= 1
    assert data["quality_flags"]["flags"] > 0
    certs = data["certificates"]
    assert certs["issued"] == 1 and certs["revoked"] == 1 and certs["expired"] == 1
    assert certs["valid_national"] == 1 and certs["expiring_90_days"] == 1
    assert data["awards"] == {"paid": "300000.00", "payments": 1}


def test_kpi_report_counts_targets_and_certificates(demo):
    report = report_generate(
        kind=ReportKind.QUARTERLY_KPI, year=YEAR, period=3, region_id=region("620100").pk
    )
    rows = {(t["region"], t["metric"]): t for t in report.data["targets"]}
    [[target]] = sql(
        "SELECT value FROM registry_target t JOIN registry_region r ON r.id = t.region_id "
        "WHERE t.year = %(y)s AND r.code = '620100' AND t.metric = 'certified'", y=YEAR,
    )
    [[certified]] = sql(
        f"""SELECT count(*) FROM certification_certificate c JOIN registry_enterprise e
            ON e.id = c.enterprise_id JOIN registry_region r ON r.id = e.region_id
            WHERE {UNDER} AND c.level = 'provincial' AND c.issued_on <= '2026-09-30'
              AND c.valid_until >= '2026-09-30'
              AND NOT (c.status = 'revoked' AND c.revoked_at < '2026-10-01 00:00+08')""",
        **_params("620100"),
    )
    assert rows[("620100", "certified")]["target"] == target
    assert rows[("620100", "certified")]["actual"] == certified >= 1
    [[pool_county]] = sql(
        f"""SELECT count(*) FROM registry_poolentry pe JOIN registry_enterprise e
            ON e.id = pe.enterprise_id JOIN registry_region r ON r.id = e.region_id
            WHERE {UNDER} AND pe.pool = 'zjtx' AND pe.tier = 'county'
              AND pe.admitted_at < '2026-10-01 00:00+08'
              AND (pe.closed_at IS NULL OR pe.closed_at >= '2026-10-01 00:00+08')""",
        **_params("620100"),
    )
    assert rows[("620100", "pool_county")]["actual"] == pool_county
    # Only the city and its counties: no other city's targets.
    assert {code[:4] for code, _ in rows} == {"6201"}


def _entry(firm, *, admitted, closed=None, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY, year=None):
    """A pool entry admitted (and closed, when given) on the given days."""
    entry = PoolEntryFactory(
        enterprise=firm, pool=pool, tier=tier, admission_year=year or admitted.year,
        status=PoolEntryStatus.ACTIVE if closed is None else PoolEntryStatus.REMOVED,
        closed_at=None if closed is None else at(closed),
    )
    PoolEntry.objects.filter(pk=entry.pk).update(admitted_at=at(admitted))
    return entry


def test_the_kpi_report_counts_the_pool_at_the_quarters_end(db):
    TargetFactory(year=2026, region=region("620100"), metric=TargetMetric.POOL_COUNTY, value=6)
    d = datetime.date
    _entry(EnterpriseFactory(), admitted=d(2026, 7, 10))  # in the pool throughout
    _entry(EnterpriseFactory(), admitted=d(2026, 7, 10), closed=d(2026, 10, 20))  # left after
    _entry(EnterpriseFactory(), admitted=d(2026, 8, 1), closed=d(2026, 11, 5))  # left after
    _entry(EnterpriseFactory(), admitted=d(2026, 10, 3))  # admitted after the quarter
    _entry(EnterpriseFactory(), admitted=d(2026, 2, 1), closed=d(2026, 9, 15))  # left within

    report = report_generate(
        kind=ReportKind.QUARTERLY_KPI, year=2026, period=3, region_id=region("620100").pk
    )

    [row] = report.data["targets"]
    assert (row["actual"], row["percent"]) == (3, "50.00")


def test_net_new_above_scale_firms_wait_for_the_years_annual_reports(db):
    firm = EnterpriseFactory()
    for year in (2025, 2026):
        TargetFactory(year=year, region=region("620100"),
                      metric=TargetMetric.NET_NEW_ABOVE_SCALE, value=4)
    verified_annual(firm, 2024, 1500)
    verified_annual(firm, 2025, 2500)

    q3 = report_generate(
        kind=ReportKind.QUARTERLY_KPI, year=2026, period=3, region_id=region("620100").pk
    )
    [row] = q3.data["targets"]
    assert (row["actual"], row["percent"]) == (None, None)
    with translation.override("en"):
        [shown] = [r for r in q3.rows if r.label.endswith("Net new above-scale firms")]
    assert shown.value == "annual reports pending" and shown.met is None
    assert shown.result_shown == ""

    # Once the year is over and its annual reports are verified, the figure is counted.
    q4 = report_generate(
        kind=ReportKind.QUARTERLY_KPI, year=2025, period=4, region_id=region("620100").pk
    )
    [row] = q4.data["targets"]
    assert (row["actual"], row["percent"]) == (1, "25.00")


def test_monthly_pool_sizes_go_by_the_admission_time(db):
    d = datetime.date
    _entry(EnterpriseFactory(), admitted=d(2026, 11, 5))  # admission year 2026, in November
    _entry(EnterpriseFactory(), admitted=d(2026, 1, 5), closed=d(2026, 11, 10))

    def county_tier(month):
        data = report_generate(
            kind=ReportKind.MONTHLY, year=2026, period=month, region_id=region("620102").pk
        ).data
        return data["pool"][PoolKind.ZJTX][PoolTier.COUNTY]

    assert county_tier(10) == 1  # the firm closed in November was still in at October's end
    assert county_tier(1) == 1  # the firm admitted in November is not in January's report
    assert county_tier(11) == 1  # ... but is at November's end, when the other has left


def test_all_pools_counts_each_firm_once(db):
    firm = EnterpriseFactory()
    _entry(firm, admitted=datetime.date(2026, 1, 5))
    _entry(firm, admitted=datetime.date(2026, 1, 5), pool=PoolKind.SCALE_UP)
    report = report_generate(
        kind=ReportKind.MONTHLY, year=2026, period=10, region_id=region("620102").pk
    )
    pool = report.data["pool"]
    assert (pool[PoolKind.ZJTX]["total"], pool[PoolKind.SCALE_UP]["total"]) == (1, 1)
    assert pool["firms"] == 1
    with translation.override("en"):
        rows = {row.label: (row.value, row.unit) for row in report.rows}
    assert rows["Firms in any pool"] == (1, "firms")
    assert rows["SRDI pool, all tiers"] == (1, "entries")


def test_every_figure_is_scoped_through_within(db, monkeypatch):
    """One scoping rule: the report reads each model through ``within(region.path)``, the
    rule under every user's ``visible_to``, never through a path filter of its own."""
    seen = set()
    original = ScopedQuerySet.within

    def recording(self, path):
        seen.add((self.model, path))
        return original(self, path)

    monkeypatch.setattr(ScopedQuerySet, "within", recording)
    report_generate(kind=ReportKind.MONTHLY, year=2026, period=10, region_id=region("620102").pk)
    path = region("620102").path
    models = {model for model, scope in seen if scope == path}
    assert {PoolEntry, MonitoringReport, Enterprise, Certificate, Entitlement} <= models
