"""Demo cultivation pool, plans, visits and targets, written by the demo staff.

Entries are admitted, promoted, graduated and removed through the pool services, so their
transition rows and categories are the real ones; plans, visits and targets are inserted in
bulk with the demo staff as authors.

Runs after the demo accounts and enterprises exist (``demo.registry``) and, when present, after
the demo monitoring figures, so the 规下转规上 categories are suggested from real figures. Firms
are drawn with a fixed seed from the demo enterprises; a firm that already has an entry in a
pool is left alone, and a target that already exists keeps its value, so a second run writes
nothing. Every change carries the history reason "演示数据加载".
"""

import datetime
import random
from dataclasses import dataclass

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from demo.registry import HISTORY_REASON, PREFECTURES
from registry.choices import (
    PoolEntryStatus,
    PoolKind,
    PoolTier,
    PoolTrack,
    RegionLevel,
    TargetMetric,
    VisitStatus,
)
from registry.models import CultivationPlan, Enterprise, PoolEntry, Region, ServiceVisit, Target
from registry.selectors import scale_up_category_suggest
from registry.services import (
    pool_entry_admit,
    pool_entry_graduate,
    pool_entry_promote,
    pool_entry_remove,
)

SEED = 20260315
LANZHOU, TIANSHUI, PROVINCE = "620100", "620500", "620000"

# Per city with demo staff: (county staff username or None, city staff username,
# 专精特新 firms, of them promoted to city tier, of those promoted to province tier,
# 规下转规上 firms, of them promoted to city tier).
CITY_PLANS = {
    LANZHOU: ("chengguan", "lanzhou", 16, 6, 3, 8, 2),
    TIANSHUI: (None, "tianshui", 10, 4, 1, 5, 1),
}
CHENGGUAN = "620102"

# Province-wide targets for the current year, after the 2018 plan's 2020 goals (1,000 firms in
# the pool, ≥ 200 recognised, ≥ 10 little giants, ≥ 500 new above-scale firms in three years)
# scaled to the few hundred demo firms. The year before gets about four fifths of each.
PROVINCE_TARGETS = {
    TargetMetric.POOL_COUNTY: 30,
    TargetMetric.POOL_CITY: 12,
    TargetMetric.POOL_PROVINCE: 18,
    TargetMetric.POOL_SCALE_UP: 20,
    TargetMetric.NET_NEW_ABOVE_SCALE: 17,
    TargetMetric.CERTIFIED: 20,
    TargetMetric.LITTLE_GIANT: 1,
}
PREVIOUS_YEAR_SHARE = 0.8
# Counties get targets for the lists they keep themselves and for new above-scale firms.
COUNTY_METRICS = (
    TargetMetric.POOL_COUNTY, TargetMetric.POOL_SCALE_UP, TargetMetric.NET_NEW_ABOVE_SCALE,
)
TARGET_NOTE = "参照2018年实施方案目标按比例分解"

OFFICERS = ("张丽", "王晓燕", "赵建国", "李娜", "马建军", "陈静", "刘洋", "杨帆", "周敏", "孙磊")
ADMISSION_REASONS = (
    "主导产品细分市场占有率居全省前列，研发投入持续增长",
    "拥有发明专利多项，产品进入国内龙头企业配套体系",
    "省级企业技术中心，关键工序数控化率较高",
    "主营业务突出，近三年营业收入保持两位数增长",
    "列入县区重点培育名单，具备申报专精特新条件",
)
SCALE_UP_REASONS = (
    "主营业务收入接近规模以上标准，具备入统潜力",
    "新建生产线投产，产能逐步释放",
    "订单充足，预计本年度达到规上标准",
)
# Why an official chose a category when the figures suggest none.
CATEGORY_FALLBACKS = (
    ("grow", "县工信局研判：新增订单充足，预计两年内达规"),
    ("add", "新建项目年内投产，按新增产能培育"),
    ("keep", "主要客户订单波动，需重点稳住规上地位"),
)
PROMOTION_REASONS = ("市级遴选推荐，纳入市级培育库", "经市州推荐、省级遴选，纳入省级培育库")
MEASURES = (
    "协调技改贷款贴息；对接省级工业设计中心开展产品设计升级",
    "组织参加产融对接会，协调银行授信；支持申报省级企业技术中心",
    "协调园区标准化厂房；指导企业开展两化融合管理体系贯标",
    "安排专家上门诊断，指导完善研发费用归集；推荐参加“创客中国”大赛",
)
GOALS = (
    "年内主营业务收入突破2000万元，纳入规上统计",
    "三年内申报省级专精特新中小企业",
    "研发投入占主营业务收入比重达到3%以上",
    "关键工序数控化率提高到60%，实现“上云”",
)
PROBLEMS = (
    "流动资金紧张，银行授信额度不足",
    "用地指标不足，扩产项目无法落地",
    "高端技术人才引进困难",
    "原材料价格上涨，利润空间压缩",
    "专精特新申报材料准备不充分",
)
ACTIONS = (
    "协调银行授信500万元",
    "对接园区，协调标准化厂房",
    "推荐参加省人才对接会",
    "组织政策解读和申报辅导",
    "",
)


@dataclass(frozen=True)
class DemoPoolResult:
    entries_created: int
    plans_created: int
    visits_created: int
    targets_created: int

    @property
    def unchanged(self):
        return not (
            self.entries_created or self.plans_created or self.visits_created
            or self.targets_created
        )


@transaction.atomic
def demo_pool_load():
    """Create the demo pool entries, plans, visits and targets that do not exist yet.

    Needs the demo accounts; without them (``load_demo`` not run) nothing is written.
    """
    staff = get_user_model().objects.in_bulk(
        ["province", "lanzhou", "tianshui", "chengguan"], field_name="username"
    )
    if len(staff) < 4:
        return DemoPoolResult(0, 0, 0, 0)
    rng = random.Random(SEED)
    today = timezone.localdate()
    before = _counts()
    rows = []
    with pghistory.context(reason=HISTORY_REASON):
        for city_code, plan in CITY_PLANS.items():
            _city_pools(rng, staff, today, rows, city_code, *plan)
        _province_pool(rng, staff, today, rows)
        _targets(staff, today.year, rows)
        _insert(rows)
    after = _counts()
    return DemoPoolResult(*(a - b for a, b in zip(after, before, strict=True)))


def _counts():
    return (
        PoolEntry.objects.count(),
        CultivationPlan.objects.count(),
        ServiceVisit.objects.count(),
        Target.objects.count(),
    )


def _firms(city_code, *, industrial=False):
    """The demo firms of a prefecture unit (and its counties), in a fixed order."""
    firms = Enterprise.objects.filter(
        Q(region__code=city_code) | Q(region__parent__code=city_code), is_active=True
    ).select_related("region", "industry").order_by("uscc")
    if industrial:
        firms = firms.filter(industry__section__in=("B", "C", "D"))
    return list(firms)


def _taken(pool):
    return set(PoolEntry.objects.filter(pool=pool).values_list("enterprise_id", flat=True))


def _firm_rng(firm, pool):
    """Details of one firm's story come from its own generator, so which firms are drawn never
    depends on which of them were already in the pool."""
    return random.Random(f"{SEED}-{pool}-{firm.uscc}")


def _city_pools(rng, staff, today, rows, city_code, county_username, city_username,
                zjtx_count, to_city, to_province, scale_count, scale_to_city):
    city_staff = staff[city_username]

    def keeper(firm, tier=PoolTier.COUNTY):
        # The demo's one county account keeps its own county; the city keeps the rest.
        if tier == PoolTier.PROVINCE:
            return staff["province"]
        if tier == PoolTier.COUNTY and county_username and firm.region.code == CHENGGUAN:
            return staff[county_username]
        return city_staff

    firms = _firms(city_code)
    chosen = rng.sample(firms, zjtx_count)
    taken = _taken(PoolKind.ZJTX)
    for index, firm in enumerate(chosen):
        if firm.pk in taken:
            continue
        own = _firm_rng(firm, PoolKind.ZJTX)
        entry = _admit(
            own, keeper(firm), firm, PoolKind.ZJTX, PoolTier.COUNTY,
            own.choice((2024, 2025, 2026)), own.choice(ADMISSION_REASONS),
            track=PoolTrack.INNOVATIVE,
        )
        # The first ``to_city`` firms move up to the city tier, the first ``to_province`` of
        # them on to the province tier.
        if index < to_city:
            entry = pool_entry_promote(actor=city_staff, entry=entry, reason=PROMOTION_REASONS[0])
        if index < to_province:
            entry = pool_entry_promote(
                actor=staff["province"], entry=entry, reason=PROMOTION_REASONS[1]
            )
        if index == to_city:
            entry = pool_entry_graduate(
                actor=city_staff, entry=entry, reason="已认定为省级创新型中小企业，转入后续培育"
            )
        elif index == to_city + 1:
            entry = pool_entry_remove(
                actor=city_staff, entry=entry, reason="企业生产经营异常，暂停培育"
            )
        _notes(own, entry, keeper(firm, entry.tier), today, rows)

    firms = [f for f in _firms(city_code, industrial=True) if f not in chosen]
    taken = _taken(PoolKind.SCALE_UP)
    for index, firm in enumerate(rng.sample(firms, scale_count)):
        if firm.pk in taken:
            continue
        own = _firm_rng(firm, PoolKind.SCALE_UP)
        year = own.choice((2025, 2026))
        fallback = own.choice(CATEGORY_FALLBACKS)
        suggestion = scale_up_category_suggest(firm, year=year)
        category, override = ("", "") if suggestion.category else fallback
        entry = _admit(
            own, keeper(firm), firm, PoolKind.SCALE_UP, PoolTier.COUNTY, year,
            own.choice(SCALE_UP_REASONS),
            category=category, category_override_reason=override,
        )
        if index < scale_to_city:
            entry = pool_entry_promote(actor=city_staff, entry=entry, reason=PROMOTION_REASONS[0])
        _notes(own, entry, keeper(firm, entry.tier), today, rows)


def _province_pool(rng, staff, today, rows):
    """One 专精特新 little-giant candidate admitted directly by the province in every other
    prefecture unit; the first one has since graduated."""
    province = staff["province"]
    taken = _taken(PoolKind.ZJTX)
    units = Region.objects.filter(level=RegionLevel.PREFECTURE).exclude(
        code__in=list(CITY_PLANS)
    ).order_by("path")
    for index, unit in enumerate(units):
        firm = rng.choice(_firms(unit.code))
        if firm.pk in taken:
            continue
        own = _firm_rng(firm, PoolKind.ZJTX)
        entry = _admit(
            own, province, firm, PoolKind.ZJTX, PoolTier.PROVINCE, own.choice((2024, 2025)),
            "细分领域龙头，具备冲击国家级专精特新“小巨人”条件",
            track=PoolTrack.LITTLE_GIANT,
        )
        if index == 0:
            entry = pool_entry_graduate(
                actor=province, entry=entry, reason="已被认定为国家级专精特新“小巨人”企业"
            )
        _notes(own, entry, province, today, rows)


def _admit(own, actor, firm, pool, tier, year, reason, **fields):
    return pool_entry_admit(
        actor=actor, enterprise=firm, pool=pool, tier=tier, admission_year=year,
        admission_reason=reason, contact_officer=own.choice(OFFICERS),
        contact_officer_phone=f"1{own.choice('3578')}{own.randint(0, 999999999):09d}",
        **fields,
    )


def _notes(own, entry, actor, today, rows):
    """A plan for about two in three entries still in the pool, and one to three visits.

    Collected in ``rows`` and inserted in bulk: they are plain records of entries the services
    just wrote, and one insert per table keeps the demo load fast.
    """
    if entry.status != PoolEntryStatus.ACTIVE:
        return
    if own.random() < 0.67:
        rows.append(
            CultivationPlan(
                entry=entry, measures=own.choice(MEASURES), goals=own.choice(GOALS),
                responsible_official=entry.contact_officer, created_by=actor,
                review_on=today + datetime.timedelta(days=own.randint(60, 300)),
            )
        )
    for _ in range(own.randint(1, 3)):
        actions = own.choice(ACTIONS)
        rows.append(
            ServiceVisit(
                entry=entry, visited_on=today - datetime.timedelta(days=own.randint(0, 330)),
                officer=own.choice(OFFICERS), problems=own.choice(PROBLEMS), actions=actions,
                status=VisitStatus.RESOLVED if actions else VisitStatus.OPEN, created_by=actor,
            )
        )


def _insert(rows):
    for model in (CultivationPlan, ServiceVisit, Target):
        batch = [row for row in rows if isinstance(row, model)]
        for row in batch:
            # Entries and regions come from the database; the rest is checked as a form would.
            row.full_clean(
                exclude=("entry", "region", "created_by", "set_by"),
                validate_unique=False, validate_constraints=False,
            )
        model.objects.bulk_create(batch)


def _targets(staff, year, rows):
    """Targets for this year and the last: the province and every prefecture unit (set by the
    province), and the counties of 兰州 (set by 兰州), split by the demo firms' weights.

    Only targets that do not exist yet are added to ``rows``; the regions and actors are the
    ones ``target_set`` allows, so the rows are those its form would have written.
    """
    existing = set(
        Target.objects.filter(year__in=(year - 1, year)).values_list(
            "year", "region__code", "metric"
        )
    )
    units = list(Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("path"))
    weights = {unit.code: PREFECTURES[unit.code][2] for unit in units}
    lanzhou_counties = list(Region.objects.filter(parent__code=LANZHOU).order_by("path"))
    county_weights = {c.code: 3 if c.name.endswith("区") else 1 for c in lanzhou_counties}
    for target_year, share in ((year - 1, PREVIOUS_YEAR_SHARE), (year, 1.0)):
        totals = {m: max(1, round(v * share)) for m, v in PROVINCE_TARGETS.items()}
        wanted = [(staff["province"], PROVINCE, m, v) for m, v in totals.items()]
        city_values = {}
        for unit in units:
            for metric, total in totals.items():
                value = round(total * weights[unit.code] / sum(weights.values()))
                if value:
                    wanted.append((staff["province"], unit.code, metric, value))
                    city_values[(unit.code, metric)] = value
        for county in lanzhou_counties:
            for metric in COUNTY_METRICS:
                total = city_values.get((LANZHOU, metric), 0)
                value = max(1, round(total * county_weights[county.code]
                                     / sum(county_weights.values())))
                wanted.append((staff["lanzhou"], county.code, metric, value))
        regions = Region.objects.in_bulk(
            {code for _actor, code, _m, _v in wanted}, field_name="code"
        )
        for actor, code, metric, value in wanted:
            if (target_year, code, metric) in existing:
                continue
            rows.append(
                Target(
                    year=target_year, region=regions[code], metric=metric, value=value,
                    note=TARGET_NOTE, set_by=actor,
                )
            )
