"""Metrics: named computations over an enterprise's facts that rule items refer to by key.

Money is in 万元 (10,000 yuan) as the monitoring reports keep it; ratios are fractions
(0.03 = 3 %). Values are exact ``Decimal``; figures are rounded only for display.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy

from registry import sizeclass

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

# Figures the registry does not hold, declared by the enterprise with evidence (万元, or a
# date for those in DATE_FIGURES).
DECLARED_FIGURE_NAMES = {
    "equity_financing_2y": gettext_lazy(
        "New equity financing paid in by qualified investors in the last 2 years (10k yuan)"
    ),
    "equity_financing_3y": gettext_lazy(
        "New equity financing paid in by qualified investors in the last 3 years (10k yuan)"
    ),
    # 细分市场起始日期: when the enterprise entered its niche market, with evidence.
    "niche_market_since": gettext_lazy("Date the enterprise entered its niche market"),
}
DATE_FIGURES = frozenset({"niche_market_since"})

FIGURE_NAMES = {
    "operating_revenue": gettext_lazy("Operating revenue"),
    "main_business_revenue": gettext_lazy("Main-business revenue"),
    "net_profit": gettext_lazy("Net profit"),
    "total_assets": gettext_lazy("Total assets"),
    "total_liabilities": gettext_lazy("Total liabilities"),
    "employees": gettext_lazy("Employees"),
    "rd_staff": gettext_lazy("R&D staff"),
    "rd_expense": gettext_lazy("R&D expense"),
    "safety_incidents": gettext_lazy("Major safety incidents"),
    "quality_incidents": gettext_lazy("Major quality incidents"),
    "environmental_incidents": gettext_lazy("Major environmental incidents"),
    "founded_on": gettext_lazy("Founding date"),
    "niche_market": gettext_lazy("Niche market"),
    "size_class": gettext_lazy("Size class (2011 standard)"),
    "zjtx_certificate": gettext_lazy("Provincial SRDI certificate"),
    "zjtx_certificate_valid_until": gettext_lazy("Provincial SRDI certificate valid until"),
    "niche_market_evidence": gettext_lazy("Evidence of the niche-market start"),
    **DECLARED_FIGURE_NAMES,
}


class Bilingual(Mapping):
    """``{key: (Chinese, English)}`` over translatable names, for readers that keep both
    languages side by side; the texts themselves live in the catalogues."""

    def __init__(self, names):
        self._names = names

    def __getitem__(self, key):
        return both(self._names[key])

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)


def both(name):
    """(Chinese, English) of one translatable name."""
    with translation.override("zh-hans"):
        chinese = str(name)
    with translation.override("en"):
        english = str(name)
    return chinese, english


DECLARED_FIGURES = Bilingual(DECLARED_FIGURE_NAMES)
FIGURE_LABELS = Bilingual(FIGURE_NAMES)

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
    # Counted from the niche-market start date the enterprise declares with evidence
    # (细分市场起始日期), never from the founding date, to 31 December of the figures year.
    reader = _Reader(facts)
    if facts.niche_market:
        reader.figures["niche_market"] = facts.niche_market
    else:
        reader.gap("niche_market", None, "missing")
    entry = facts.declared.get("niche_market_since")
    if entry is None:
        reader.gap("niche_market_since", None, "undeclared")
        return reader.result(None)
    since = entry.value
    reader.figures["niche_market_since"] = since
    reader.figures["niche_market_evidence"] = entry.evidence
    if facts.founded_on is not None and since < facts.founded_on:
        reader.figures["founded_on"] = facts.founded_on
        reader.gap("niche_market_since", None, "before_founding")
        return reader.result(None)
    return reader.result(max(facts.year - since.year, 0))


def _is_sme(facts):
    # Small, medium or micro under 工信部联企业〔2011〕300号, from the verified figures of the
    # figures year; a division the standard does not class leaves it undecided.
    reader = _Reader(facts)
    industry = sizeclass.standard_industry(facts.industry_code or "")
    if not facts.industry_code or industry is None:
        reader.gap("size_industry", None, "not_classed")
        return reader.result(None)
    rule = sizeclass.RULESETS[sizeclass.CURRENT_RULESET][industry]
    needed = set(rule.ceiling) | set(rule.medium) | set(rule.small)
    read = {}
    for letter, name in (("Y", "employees"), ("R", "operating_revenue"),
                         ("Z", "total_assets")):
        read[letter] = reader.report(name) if letter in needed else None
    if reader.gaps:
        return reader.result(None)
    size = sizeclass.classify(
        industry, employees=read["Y"], revenue=read["R"], assets=read["Z"]
    )
    reader.figures["size_class"] = size
    return reader.result(size != sizeclass.LARGE)


def _zjtx_certificate(facts):
    # The registry's own certificates decide: no valid provincial certificate reads "no".
    reader = _Reader(facts)
    certificate = facts.zjtx_certificate
    if certificate is None:
        return reader.result(False)
    reader.figures["zjtx_certificate"] = certificate["number"]
    reader.figures["zjtx_certificate_valid_until"] = certificate["valid_until"]
    return reader.result(True)


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
    """A computation rule items name by key, with its unit and its translatable name."""

    compute: Callable
    unit: str
    name: object

    @property
    def label(self):
        return both(self.name)[0]

    @property
    def label_en(self):
        return both(self.name)[1]


METRICS = {
    "operating_revenue": Metric(
        _figure("operating_revenue"),
        WAN_YUAN,
        gettext_lazy("Prior-year operating revenue"),
    ),
    "main_business_share": Metric(
        _share("main_business_revenue", "operating_revenue"),
        RATIO,
        gettext_lazy("Prior-year main-business revenue share of operating revenue"),
    ),
    "main_business_revenue_growth": Metric(
        _main_business_revenue_growth,
        RATIO,
        gettext_lazy("Prior-year main-business revenue growth"),
    ),
    "main_business_revenue_avg_growth": Metric(
        _main_business_revenue_avg_growth,
        RATIO,
        gettext_lazy("Average main-business revenue growth over the last 2 years"),
    ),
    "net_profit_margin": Metric(
        _share("net_profit", "operating_revenue"),
        RATIO,
        gettext_lazy("Prior-year net profit margin"),
    ),
    "debt_ratio": Metric(
        _share("total_liabilities", "total_assets"),
        RATIO,
        gettext_lazy("Prior-year asset-liability ratio"),
    ),
    "rd_expense": Metric(
        _figure("rd_expense"),
        WAN_YUAN,
        gettext_lazy("Prior-year R&D expense"),
    ),
    "rd_expense_share": Metric(
        _share("rd_expense", "operating_revenue"),
        RATIO,
        gettext_lazy("Prior-year R&D expense share of operating revenue"),
    ),
    "rd_expense_avg_2y": Metric(
        _rd_expense_over_2y(lambda recent, earlier: (recent + earlier) / 2),
        WAN_YUAN,
        gettext_lazy("Average R&D expense over the last 2 years"),
    ),
    "rd_expense_total_2y": Metric(
        _rd_expense_over_2y(operator.add),
        WAN_YUAN,
        gettext_lazy("Total R&D expense over the last 2 years"),
    ),
    "rd_expense_share_min_2y": Metric(
        _rd_expense_share_min_2y,
        RATIO,
        gettext_lazy("R&D expense share of revenue, the lower of the last 2 years"),
    ),
    "rd_staff_share": Metric(
        _share("rd_staff", "employees"),
        RATIO,
        gettext_lazy("Prior-year R&D staff share of employees"),
    ),
    "years_in_niche": Metric(
        _years_in_niche,
        YEARS,
        gettext_lazy("Years in the niche market"),
    ),
    "is_sme": Metric(
        _is_sme,
        FLAG,
        gettext_lazy("Small or medium enterprise under the size standard"),
    ),
    "zjtx_certificate_valid": Metric(
        _zjtx_certificate,
        FLAG,
        gettext_lazy("Holds a valid provincial SRDI certificate"),
    ),
    "safety_incidents_3y": Metric(
        _incidents_3y("safety_incidents"),
        COUNT,
        gettext_lazy("Major safety incidents in the last 3 years"),
    ),
    "quality_incidents_3y": Metric(
        _incidents_3y("quality_incidents"),
        COUNT,
        gettext_lazy("Major quality incidents in the last 3 years"),
    ),
    "environmental_incidents_3y": Metric(
        _incidents_3y("environmental_incidents"),
        COUNT,
        gettext_lazy("Major environmental incidents in the last 3 years"),
    ),
    "equity_financing_2y": Metric(
        _declared("equity_financing_2y"), WAN_YUAN,
        gettext_lazy("New equity financing in the last 2 years"),
    ),
    "equity_financing_3y": Metric(
        _declared("equity_financing_3y"), WAN_YUAN,
        gettext_lazy("New equity financing in the last 3 years"),
    ),
}

# Metrics the engine derives from the rule set itself rather than from the facts.
SCORE_PASSED = "score_passed"
DERIVED_METRICS = {SCORE_PASSED: (FLAG, gettext_lazy("Score test passed"))}


def measure(key, facts):
    """The value of one metric for the facts, with the figures used and those missing."""
    result = METRICS[key].compute(facts)
    if result.value is not None:
        result.figures[key] = _display(result.value)
    return result
