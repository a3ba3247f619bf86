"""Metrics: named computations over an enterprise's facts that rule items refer to by key.

Money is in 万元 (10,000 yuan) as the monitoring reports keep it; ratios are fractions
(0.03 = 3 %). Values are exact ``Decimal``; figures are rounded only for display.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

WAN_YUAN, RATIO, YEARS, COUNT, FLAG = "wan_yuan", "ratio", "years", "count", "flag"

# The metrics read the verified annual reports of the figures year and the two years before it.
YEARS_READ = 3

# The monitoring-report figures the metrics read, in 万元 or units as the report keeps them.
REPORT_FIGURES = (
    "operating_revenue",
    "main_business_revenue",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "employees",
    "rd_staff",
    "rd_expense",
    "safety_incidents",
    "quality_incidents",
    "environmental_incidents",
)

# Figures the registry does not hold, declared by the enterprise with evidence (万元).
DECLARED_FIGURES = {
    "equity_financing_2y": (
        "近2年新增股权融资（合格机构投资者实缴额，万元）",
        "new equity financing paid in by qualified investors in the last 2 years (10k yuan)",
    ),
    "equity_financing_3y": (
        "近3年新增股权融资（合格机构投资者实缴额，万元）",
        "new equity financing paid in by qualified investors in the last 3 years (10k yuan)",
    ),
}

FIGURE_LABELS = {
    "operating_revenue": ("营业收入", "operating revenue"),
    "main_business_revenue": ("主营业务收入", "main-business revenue"),
    "net_profit": ("净利润", "net profit"),
    "total_assets": ("资产总额", "total assets"),
    "total_liabilities": ("负债总额", "total liabilities"),
    "employees": ("从业人员", "employees"),
    "rd_staff": ("研发人员", "R&D staff"),
    "rd_expense": ("研发费用", "R&D expense"),
    "safety_incidents": ("重大安全事故", "major safety incidents"),
    "quality_incidents": ("重大质量事故", "major quality incidents"),
    "environmental_incidents": ("重大环境事件", "major environmental incidents"),
    "founded_on": ("成立日期", "founding date"),
    "niche_market": ("细分市场", "niche market"),
    **DECLARED_FIGURES,
}

# Ratios are compared exactly but shown with this many decimal places.
_DISPLAY = Decimal("0.000001")


@dataclass
class Measure:
    """A metric's value (None when undecidable), the figures behind it and what is missing.

    ``pending`` names the items whose verdicts the value still waits for (derived metrics).
    """

    value: object = None
    figures: dict = field(default_factory=dict)
    gaps: list = field(default_factory=list)
    pending: list = field(default_factory=list)


class _Reader:
    """Reads figures for one metric, remembering those used and those missing."""

    def __init__(self, facts, *, by_year=False):
        self.facts = facts
        # Multi-year metrics key their figures by year so that each one can be traced.
        self.by_year = by_year
        self.figures = {}
        self.gaps = []

    def report(self, name, back=0):
        year = self.facts.year - back
        value = self.facts.reports.get(year, {}).get(name)
        if value is None:
            self.gap(name, year, "missing")
        else:
            self.figures[f"{name}_{year}" if self.by_year else name] = value
        return value

    def ratio(self, numerator, denominator, name, back=0):
        if numerator is None or denominator is None:
            return None
        if denominator == 0:
            self.gap(name, self.facts.year - back, "zero")
            return None
        return Decimal(numerator) / Decimal(denominator)

    def note(self, key, value):
        if value is not None:
            self.figures[key] = _display(value)
        return value

    def gap(self, name, year, problem):
        gap = {"figure": name, "year": year, "problem": problem}
        if gap not in self.gaps:
            self.gaps.append(gap)

    def result(self, value):
        return Measure(None if self.gaps else value, self.figures, self.gaps)


def _display(value):
    if isinstance(value, Decimal) and value.as_tuple().exponent < _DISPLAY.as_tuple().exponent:
        return value.quantize(_DISPLAY)
    return value


def _figure(name):
    def metric(facts):
        reader = _Reader(facts)
        return reader.result(reader.report(name))

    return metric


def _share(numerator, denominator):
    def metric(facts):
        reader = _Reader(facts)
        return reader.result(
            reader.ratio(reader.report(numerator), reader.report(denominator), denominator)
        )

    return metric


def _growth(reader, back):
    current = reader.report("main_business_revenue", back)
    previous = reader.report("main_business_revenue", back + 1)
    if current is None or previous is None:
        return None
    growth = reader.ratio(current - previous, previous, "main_business_revenue", back + 1)
    return reader.note(f"growth_{reader.facts.year - back}", growth)


def _main_business_revenue_growth(facts):
    reader = _Reader(facts, by_year=True)
    return reader.result(_growth(reader, 0))


def _main_business_revenue_avg_growth(facts):
    # The mean of the last two yearly growth rates, as the national self-assessment form
    # computes "近2年主营业务收入平均增长率".
    reader = _Reader(facts, by_year=True)
    recent, earlier = _growth(reader, 0), _growth(reader, 1)
    if recent is None or earlier is None:
        return reader.result(None)
    return reader.result((recent + earlier) / 2)


def _rd_expense_over_2y(combine):
    def metric(facts):
        reader = _Reader(facts, by_year=True)
        recent, earlier = reader.report("rd_expense"), reader.report("rd_expense", 1)
        if recent is None or earlier is None:
            return reader.result(None)
        return reader.result(combine(recent, earlier))

    return metric


def _rd_expense_share_min_2y(facts):
    # "Each of the last two years" (小巨人 新): the lower of the two yearly shares decides.
    reader = _Reader(facts, by_year=True)
    shares = []
    for back in (0, 1):
        share = reader.ratio(
            reader.report("rd_expense", back),
            reader.report("operating_revenue", back),
            "operating_revenue",
            back,
        )
        shares.append(reader.note(f"rd_expense_share_{facts.year - back}", share))
    return reader.result(None if None in shares else min(shares))


def _incidents_3y(name):
    def metric(facts):
        reader = _Reader(facts, by_year=True)
        counts = [reader.report(name, back) for back in range(YEARS_READ)]
        return reader.result(None if None in counts else sum(counts))

    return metric


def _years_in_niche(facts):
    # The registry keeps no date of entry into the niche market, so the founding date stands in
    # for it once a niche market is recorded; reviewers see both figures.
    reader = _Reader(facts)
    if facts.niche_market:
        reader.figures["niche_market"] = facts.niche_market
    else:
        reader.gap("niche_market", None, "missing")
    if facts.founded_on is None:
        reader.gap("founded_on", None, "missing")
        return reader.result(None)
    reader.figures["founded_on"] = facts.founded_on
    # Counted at 31 December of the figures year, when that year's anniversary has passed.
    return reader.result(max(facts.year - facts.founded_on.year, 0))


def _declared(name):
    def metric(facts):
        reader = _Reader(facts)
        entry = facts.declared.get(name)
        if entry is None:
            reader.gap(name, None, "undeclared")
            return reader.result(None)
        reader.figures[name] = entry.value
        return reader.result(entry.value)

    return metric


@dataclass(frozen=True)
class Metric:
    """A computation rule items name by key, with its unit and labels for display."""

    compute: Callable
    unit: str
    label: str
    label_en: str


METRICS = {
    "operating_revenue": Metric(
        _figure("operating_revenue"), WAN_YUAN, "上年度营业收入", "prior-year operating revenue"
    ),
    "main_business_share": Metric(
        _share("main_business_revenue", "operating_revenue"),
        RATIO,
        "上年度主营业务收入占营业收入比重",
        "prior-year main-business revenue share of operating revenue",
    ),
    "main_business_revenue_growth": Metric(
        _main_business_revenue_growth,
        RATIO,
        "上年度主营业务收入增长率",
        "prior-year main-business revenue growth",
    ),
    "main_business_revenue_avg_growth": Metric(
        _main_business_revenue_avg_growth,
        RATIO,
        "近2年主营业务收入平均增长率",
        "average main-business revenue growth over the last 2 years",
    ),
    "net_profit_margin": Metric(
        _share("net_profit", "operating_revenue"),
        RATIO,
        "上年度净利润率",
        "prior-year net profit margin",
    ),
    "debt_ratio": Metric(
        _share("total_liabilities", "total_assets"),
        RATIO,
        "上年度资产负债率",
        "prior-year asset-liability ratio",
    ),
    "rd_expense": Metric(
        _figure("rd_expense"), WAN_YUAN, "上年度研发费用", "prior-year R&D expense"
    ),
    "rd_expense_share": Metric(
        _share("rd_expense", "operating_revenue"),
        RATIO,
        "上年度研发费用占营业收入比重",
        "prior-year R&D expense share of operating revenue",
    ),
    "rd_expense_avg_2y": Metric(
        _rd_expense_over_2y(lambda recent, earlier: (recent + earlier) / 2),
        WAN_YUAN,
        "近2年研发费用平均额",
        "average R&D expense over the last 2 years",
    ),
    "rd_expense_total_2y": Metric(
        _rd_expense_over_2y(operator.add),
        WAN_YUAN,
        "近2年研发费用总额",
        "total R&D expense over the last 2 years",
    ),
    "rd_expense_share_min_2y": Metric(
        _rd_expense_share_min_2y,
        RATIO,
        "近2年研发费用占营业收入比重（两年中较低者）",
        "R&D expense share of revenue, the lower of the last 2 years",
    ),
    "rd_staff_share": Metric(
        _share("rd_staff", "employees"),
        RATIO,
        "上年度研发人员占职工总数比重",
        "prior-year R&D staff share of employees",
    ),
    "years_in_niche": Metric(
        _years_in_niche, YEARS, "从事细分市场年限", "years in the niche market"
    ),
    "safety_incidents_3y": Metric(
        _incidents_3y("safety_incidents"),
        COUNT,
        "近3年重大安全事故",
        "major safety incidents in the last 3 years",
    ),
    "quality_incidents_3y": Metric(
        _incidents_3y("quality_incidents"),
        COUNT,
        "近3年重大质量事故",
        "major quality incidents in the last 3 years",
    ),
    "environmental_incidents_3y": Metric(
        _incidents_3y("environmental_incidents"),
        COUNT,
        "近3年重大环境事件",
        "major environmental incidents in the last 3 years",
    ),
    **{
        name: Metric(_declared(name), WAN_YUAN, label, label_en)
        for name, (label, label_en) in DECLARED_FIGURES.items()
    },
}

# Metrics the engine derives from the rule set itself rather than from the facts.
SCORE_PASSED = "score_passed"
DERIVED_METRICS = {SCORE_PASSED: (FLAG, "评价得分达标", "score test passed")}


def measure(key, facts):
    """The value of one metric for the facts, with the figures used and those missing."""
    result = METRICS[key].compute(facts)
    if result.value is not None:
        result.figures[key] = _display(result.value)
    return result
