"""Synthetic data at national scale for benchmarks (``manage.py seed_scale``).

The rows go in with PostgreSQL's COPY, in one transaction, streamed from generators in chunks;
what stays in memory is a small record per firm and per application. They follow the shape of
the programme: firms spread over Gansu's counties by each prefecture's industrial weight and its
known industries, valid credit codes, five years of annual figures, monthly figures of the
latest year for above-scale firms, pool entries for about a third of the firms, applications,
certificates and their awards in the national proportions (专精特新 14 % and 小巨人 1.76 % of
the million). The history triggers are switched off for the load and on again after it, so
seeded rows carry no history: they are test data, not facts anyone entered.
"""

import datetime
import io
import itertools
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.choices import Role
from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    FilingLevel,
    RuleSetKind,
)
from certification.models import Application, Campaign, Certificate, RuleSet
from certification.services.certificates import format_number
from demo.codes import make_uscc
from demo.registry import LZXQ_REGISTRATION_CODE, PREFECTURES
from registry.choices import (
    PeriodKind,
    PoolEntryStatus,
    PoolKind,
    PoolTier,
    PoolTrack,
    RegionLevel,
    ReportStatus,
    ScaleUpCategory,
)
from registry.models import Enterprise, Industry, MonitoringReport, PoolEntry, Region
from registry.services.figures import region_figures_reconcile
from registry.sizeclass import is_above_scale, size_class
from subsidies.choices import EntitlementStatus, ProgramKind
from subsidies.models import Entitlement, Program

SEED = 20261207
CHUNK = 20_000
CENT = Decimal("0.01")

# Shares of all firms, after the national programme (see the module docstring).
POOL_SHARE = 0.34
APPLICATION_SHARE = 0.17
CERTIFIED_SHARE = 0.14
LITTLE_GIANT_SHARE = 0.0176

WORDS = "华 兴 盛 鑫 源 泰 丰 达 宏 瑞 恒 信 嘉 博 金 银 陇 河 祁 连 天 昌 隆 通".split()
TRADES = "机械 化工 材料 电子 科技 食品 药业 新能源 装备 仪器 生物 冶金 建材 纺织".split()


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class _Copy:
    """COPY rows of one model from dicts of field name → value; fields left out take their
    default, auto_now fields the load's time."""

    def __init__(self, model: type[models.Model], now: datetime.datetime):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.now = now

    @staticmethod
    def _converter(f: models.Field):
        """A function from a Python value to COPY's text format, chosen once per column: the
        generators give values of the column's type, so Django's per-value preparation is not
        needed."""
        if isinstance(f, models.JSONField):
            return lambda value: _escape(json.dumps(value, ensure_ascii=False))
        if isinstance(f, models.BooleanField):
            return lambda value: "t" if value else "f"
        if isinstance(f, models.DateField):  # DateTimeField too
            return lambda value: value.isoformat()
        if isinstance(f, models.CharField | models.TextField):
            return lambda value: _escape(str(value))
        return str

    def _default(self, f: models.Field):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.now
        if f.has_default():
            return f.get_default()
        if f.null:
            return None
        if f.blank:
            return f.get_default()
        raise ValueError(f"{self.model.__name__}.{f.name} has no value")

    def rows(self, rows: Iterable[dict]) -> int:
        """Every row gives the same fields as the first; the others are filled in with their
        default, rendered once."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        pk = self.model._meta.pk
        if pk.attname not in first:
            self.fields = [f for f in self.fields if f is not pk]
        cells = []  # per column: (key in the row, converter) or the column's constant text
        for f in self.fields:
            key = f.attname if f.attname in first else f.name if f.name in first else None
            if key is None:
                value = self._default(f)
                cells.append(r"\N" if value is None else self._converter(f)(value))
            else:
                cells.append((key, self._converter(f)))
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        written = 0
        buffer = io.StringIO()
        with connection.cursor() as cursor:
            for row in itertools.chain([first], rows):
                buffer.write("\t".join(
                    cell if isinstance(cell, str)
                    else r"\N" if row[cell[0]] is None else cell[1](row[cell[0]])
                    for cell in cells
                ))
                buffer.write("\n")
                written += 1
                if written % CHUNK == 0:
                    buffer.seek(0)
                    cursor.cursor.copy_expert(sql, buffer)
                    buffer = io.StringIO()
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{self.model._meta.db_table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        return written


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1


@dataclass(slots=True)
class _Firm:
    id: int
    region_id: int
    city_id: int
    industry: str
    founded: datetime.date
    revenue: Decimal  # main-business revenue of the latest year, 万元
    employees: int


@dataclass
class SeedCounts:
    enterprises: int = 0
    reports: int = 0
    pool_entries: int = 0
    applications: int = 0
    certificates: int = 0
    entitlements: int = 0
    seconds: float = 0.0


class _Seeder:
    def __init__(self, *, enterprises: int, years: int, last_year: int, actor):
        self.n = enterprises
        self.years = list(range(last_year - years + 1, last_year + 1))
        self.last_year = last_year
        self.actor = actor
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.firms: list[_Firm] = []
        self.industries = {i.code: i.id for i in Industry.objects.all()}
        self.manufacturing = [c for c in self.industries if c.startswith("C")]
        self._places()

    def _places(self):
        """(county id, city id, division code, industries, weight) for each place a firm can
        be registered: every county, and the prefecture units without counties."""
        regions = list(
            Region.objects.filter(level__in=(RegionLevel.PREFECTURE, RegionLevel.COUNTY))
        )
        by_id = {r.id: r for r in regions}
        has_counties = {r.parent_id for r in regions if r.level == RegionLevel.COUNTY}
        self.places = []
        for region in regions:
            if region.level == RegionLevel.COUNTY:
                city = by_id[region.parent_id]
            elif region.id not in has_counties:
                city = region
            else:
                continue
            _, _, weight, industries = PREFECTURES[city.code]
            counties = sum(1 for r in regions if r.parent_id == city.id) or 1
            division = region.code if region.is_standard else LZXQ_REGISTRATION_CODE
            known = [c for c in industries if c in self.industries]
            self.places.append((region.id, city.id, division, known, weight / counties))
        self.weights = [p[4] for p in self.places]

    # --- enterprises -------------------------------------------------------------------------

    def enterprises(self) -> Iterator[dict]:
        rng = self.rng
        taken = set(Enterprise.objects.values_list("uscc", flat=True))
        next_id = _next_id(Enterprise)
        places = rng.choices(self.places, weights=self.weights, k=self.n)
        for i, (region_id, city_id, division, known, _) in enumerate(places):
            code = make_uscc(division, rng)
            while code in taken:
                code = make_uscc(division, rng)
            taken.add(code)
            industry = rng.choice(known) if known and rng.random() < 0.6 else (
                rng.choice(self.manufacturing)
            )
            founded = datetime.date(rng.randint(1985, self.last_year), rng.randint(1, 12), 1)
            # Log-normal revenue: most firms small, about one in seven above 2,000 万元.
            revenue = Decimal(min(rng.lognormvariate(6.4, 1.5), 2_000_000)).quantize(CENT)
            employees = max(3, int(float(revenue) ** 0.8 / 2 * rng.uniform(0.5, 1.5)))
            assets = (revenue * Decimal(rng.uniform(0.8, 2.5))).quantize(CENT)
            firm = _Firm(next_id + i, region_id, city_id, industry, founded, revenue, employees)
            self.firms.append(firm)
            yield {
                "id": firm.id,
                "uscc": code,
                "name": f"甘肃{''.join(rng.sample(WORDS, 2))}{rng.choice(TRADES)}有限公司{i}",
                "legal_representative": "张" + rng.choice(WORDS),
                "founded_on": founded,
                "region_id": region_id,
                "industry_id": self.industries[industry],
                "main_products": rng.choice(TRADES) + "产品",
                "niche_market": rng.choice(TRADES),
                "size_class": size_class(
                    industry, employees=employees, revenue=revenue, assets=assets
                ) or "",
                "is_above_scale": is_above_scale(industry, revenue),
                "figures_year": self.last_year,
                "created_by_id": self.actor.id,
            }

    # --- monitoring reports ------------------------------------------------------------------

    def reports(self) -> Iterator[dict]:
        rng = self.rng
        for firm in self.firms:
            for year in self.years:
                if year < firm.founded.year:
                    continue
                scale = Decimal(0.9 ** (self.last_year - year) * rng.uniform(0.85, 1.15))
                revenue = (firm.revenue * scale).quantize(CENT)
                # A tenth of the latest year's reports are still waiting for verification.
                still_open = year == self.last_year and rng.random() < 0.1
                yield self._report(firm, PeriodKind.YEAR, year, 0, revenue, still_open)
            if is_above_scale(firm.industry, firm.revenue):
                for month in range(1, 13):
                    revenue = (firm.revenue / 12 * Decimal(rng.uniform(0.8, 1.2))).quantize(CENT)
                    yield self._report(
                        firm, PeriodKind.MONTH, self.last_year, month, revenue, False
                    )

    def _report(self, firm, kind, year, period, revenue, open_):
        rng = self.rng
        verified = not open_
        return {
            "enterprise_id": firm.id,
            "period_kind": kind,
            "year": year,
            "period": period,
            "status": ReportStatus.VERIFIED if verified else ReportStatus.SUBMITTED,
            "operating_revenue": revenue,
            "main_business_revenue": revenue,
            "output_value": revenue,
            "taxes": (revenue * Decimal("0.05")).quantize(CENT),
            "total_profit": (revenue * Decimal("0.08")).quantize(CENT),
            "total_assets": (revenue * Decimal("1.6")).quantize(CENT),
            "total_liabilities": (revenue * Decimal("0.7")).quantize(CENT),
            "employees": firm.employees,
            "rd_staff": max(1, firm.employees // 10),
            "rd_expense": (revenue * Decimal(rng.uniform(0.005, 0.06))).quantize(CENT),
            "patents_class1": rng.randint(0, 5),
            "patents_class2": rng.randint(0, 20),
            "uses_digital_rd_tools": rng.random() < 0.5,
            "cnc_ratio": Decimal(rng.randint(10, 95)),
            "created_by_id": self.actor.id,
            "submitted_at": self.now,
            "verified_at": self.now if verified else None,
            "verified_by_id": self.actor.id if verified else None,
        }

    # --- pool ----------------------------------------------------------------------------------

    def pool_entries(self) -> Iterator[dict]:
        rng = self.rng
        tiers = (PoolTier.COUNTY, PoolTier.CITY, PoolTier.PROVINCE)
        for firm in self.firms:
            if rng.random() >= POOL_SHARE:
                continue
            above = is_above_scale(firm.industry, firm.revenue)
            pool = PoolKind.ZJTX if above or rng.random() < 0.5 else PoolKind.SCALE_UP
            closed = rng.random() < 0.1
            yield {
                "enterprise_id": firm.id,
                "pool": pool,
                "track": rng.choice(PoolTrack.values) if pool == PoolKind.ZJTX else "",
                "tier": rng.choices(tiers, weights=(6, 3, 1))[0],
                "status": PoolEntryStatus.GRADUATED if closed else PoolEntryStatus.ACTIVE,
                "admission_year": rng.choice(self.years),
                "admission_reason": "规模测试数据",
                "category": rng.choice(ScaleUpCategory.values) if pool == PoolKind.SCALE_UP else "",
                "closed_reason": "规模测试数据" if closed else "",
                "closed_at": self.now if closed else None,
                "admitted_by_id": self.actor.id,
            }

    # --- applications, certificates, awards --------------------------------------------------

    def _campaign(self, year):
        ruleset = RuleSet.objects.filter(kind=RuleSetKind.ZJTX).order_by("-effective_from").first()
        opens = datetime.date(year, 4, 1)
        campaign, _ = Campaign.objects.get_or_create(
            title=f"{year}年规模测试认定批次",
            defaults=dict(
                year=year, kind=CampaignKind.PROVINCIAL, ruleset=ruleset, opens_on=opens,
                closes_on=opens + datetime.timedelta(days=30), county_review_days=10,
                city_recommendation_days=10, province_decision_days=20,
                county_review_due=opens + datetime.timedelta(days=45),
                city_recommendation_due=opens + datetime.timedelta(days=60),
                province_decision_due=opens + datetime.timedelta(days=90),
                experts_per_application=3, score_spread_threshold=Decimal("20"),
                created_by=self.actor,
            ),
        )
        return campaign

    def certification(self):
        """Draw who applied, in which year, and who was certified at which level; the rows are
        then built from this plan by ``applications``, ``certificates`` and ``awards``."""
        rng = self.rng
        self.campaigns = {year: self._campaign(year) for year in self.years}
        self.programs = {
            level: Program.objects.filter(kind=kind).order_by("-first_year").first()
            for level, kind in (
                (CertificateLevel.PROVINCIAL, ProgramKind.PROVINCIAL_CERTIFICATE),
                (CertificateLevel.NATIONAL, ProgramKind.NATIONAL_CERTIFICATE),
            )
        }
        # Far above any serial a real round reaches, so seeded numbers never meet real ones.
        serials = {
            (year, level): 10_000 + (
                Certificate.objects.filter(year=year, level=level)
                .aggregate(top=models.Max("serial"))["top"] or 0
            )
            for year in self.years for level in CertificateLevel.values
        }
        closed = [ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN]
        still_open = [
            s for s in ApplicationStatus.values
            if s not in (*closed, ApplicationStatus.CERTIFIED)
        ]
        self.plan: list[tuple[_Firm, int, str, str | None, int]] = []
        for firm in self.firms:
            if rng.random() >= APPLICATION_SHARE:
                continue
            year = rng.choice(self.years)
            level = None
            if rng.random() < CERTIFIED_SHARE / APPLICATION_SHARE:
                status = ApplicationStatus.CERTIFIED
                level = CertificateLevel.PROVINCIAL
                if rng.random() < LITTLE_GIANT_SHARE / CERTIFIED_SHARE:
                    level = CertificateLevel.NATIONAL
                serials[(year, level)] += 1
            else:
                status = rng.choice(closed + still_open if year == self.last_year else closed)
            self.plan.append((firm, year, status, level, serials.get((year, level), 0)))

    def applications(self) -> Iterator[dict]:
        self.first_application = _next_id(Application)
        for offset, (firm, year, status, _, _) in enumerate(self.plan):
            yield {
                "id": self.first_application + offset,
                "campaign_id": self.campaigns[year].id,
                "enterprise_id": firm.id,
                "status": status,
                "filing_level": FilingLevel.COUNTY,
                "created_by_id": self.actor.id,
            }

    def _certified(self) -> Iterator[tuple[int, int, _Firm, int, str, int]]:
        """(certificate id, application id, firm, year, level, serial) of each certificate."""
        certificate_id = self.first_certificate
        for offset, (firm, year, _, level, serial) in enumerate(self.plan):
            if level is not None:
                yield certificate_id, self.first_application + offset, firm, year, level, serial
                certificate_id += 1

    def certificates(self) -> Iterator[dict]:
        self.first_certificate = _next_id(Certificate)
        for certificate_id, application_id, firm, year, level, serial in self._certified():
            issued = datetime.date(year, 9, 1)
            yield {
                "id": certificate_id,
                "number": format_number(level, year, serial),
                "year": year,
                "serial": serial,
                "level": level,
                "enterprise_id": firm.id,
                "application_id": application_id,
                "ruleset_code": self.campaigns[year].ruleset.code,
                "issued_on": issued,
                "valid_until": issued.replace(year=year + 3),
                "status": CertificateStatus.ACTIVE,
            }

    def awards(self) -> Iterator[dict]:
        for certificate_id, _, firm, year, level, _ in self._certified():
            program = self.programs[level]
            yield {
                "program_id": program.id,
                "once_per_firm": True,
                "enterprise_id": firm.id,
                "city_id": firm.city_id,
                "region_id": firm.region_id,
                "year": year,
                "payee_name": f"企业{firm.id}",
                "purpose": f"{year}年{program.name}",
                "full_amount": program.amount,
                "amount": program.amount,
                "certificate_id": certificate_id,
                # Awaiting approval: approved and paid awards need budgets and batches.
                "status": EntitlementStatus.PENDING,
            }


HISTORY_TABLES = (Enterprise, MonitoringReport, PoolEntry, Application, Certificate, Entitlement)


def seed_scale(*, enterprises: int, years: int, last_year: int | None = None) -> SeedCounts:
    """Load ``enterprises`` synthetic firms and their records; see the module docstring."""
    from django.contrib.auth import get_user_model

    started = timezone.now()
    actor = get_user_model().objects.filter(role=Role.PROVINCIAL_REVIEWER).first()
    if actor is None:
        raise ValueError("seed_scale needs a provincial reviewer account (load_demo makes one)")
    seeder = _Seeder(
        enterprises=enterprises, years=years,
        last_year=last_year or timezone.localdate().year - 1, actor=actor,
    )
    counts = SeedCounts()
    with transaction.atomic(), connection.cursor() as cursor:
        tables = [connection.ops.quote_name(m._meta.db_table) for m in HISTORY_TABLES]
        # A table with foreign-key checks still pending in this transaction cannot be altered
        # (they are deferred): they run now, and again before the triggers come back on.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        counts.enterprises = _Copy(Enterprise, seeder.now).rows(seeder.enterprises())
        counts.reports = _Copy(MonitoringReport, seeder.now).rows(seeder.reports())
        counts.pool_entries = _Copy(PoolEntry, seeder.now).rows(seeder.pool_entries())
        seeder.certification()
        counts.applications = _Copy(Application, seeder.now).rows(seeder.applications())
        counts.certificates = _Copy(Certificate, seeder.now).rows(seeder.certificates())
        counts.entitlements = _Copy(Entitlement, seeder.now).rows(seeder.awards())
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        # Back to the foreign keys' own setting (Django makes them all INITIALLY DEFERRED).
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with connection.cursor() as cursor:
        for model in HISTORY_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    # The rows went in around the services: the kept figures are recomputed from them.
    region_figures_reconcile()
    counts.seconds = (timezone.now() - started).total_seconds()
    return counts
