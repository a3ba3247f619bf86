"""Enterprise size classes (大/中/小/微) under 工信部联企业〔2011〕300号, kept as versioned data.

Metrics: ``Y`` employees (从业人员, persons), ``R`` operating revenue (营业收入, 万元), ``Z`` total
assets (资产总额, 万元). A firm is large when it reaches the ceiling on every listed ceiling
metric; otherwise medium or small when it reaches *both* floors of that class; otherwise micro.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

LARGE, MEDIUM, SMALL, MICRO = "large", "medium", "small", "micro"


@dataclass(frozen=True)
class SizeRule:
    number: int
    name: str
    ceiling: dict
    medium: dict
    small: dict


def _rule(number, name, ceiling, medium, small):
    return SizeRule(number, name, ceiling, medium, small)


RULESETS = {
    "2011": {
        1: _rule(1, "农、林、牧、渔业", {"R": 20000}, {"R": 500}, {"R": 50}),
        2: _rule(2, "工业", {"Y": 1000, "R": 40000}, {"Y": 300, "R": 2000}, {"Y": 20, "R": 300}),
        3: _rule(3, "建筑业", {"R": 80000, "Z": 80000}, {"R": 6000, "Z": 5000},
                 {"R": 300, "Z": 300}),
        4: _rule(4, "批发业", {"Y": 200, "R": 40000}, {"Y": 20, "R": 5000}, {"Y": 5, "R": 1000}),
        5: _rule(5, "零售业", {"Y": 300, "R": 20000}, {"Y": 50, "R": 500}, {"Y": 10, "R": 100}),
        6: _rule(6, "交通运输业", {"Y": 1000, "R": 30000}, {"Y": 300, "R": 3000},
                 {"Y": 20, "R": 200}),
        7: _rule(7, "仓储业", {"Y": 200, "R": 30000}, {"Y": 100, "R": 1000}, {"Y": 20, "R": 100}),
        8: _rule(8, "邮政业", {"Y": 1000, "R": 30000}, {"Y": 300, "R": 2000}, {"Y": 20, "R": 100}),
        9: _rule(9, "住宿业", {"Y": 300, "R": 10000}, {"Y": 100, "R": 2000}, {"Y": 10, "R": 100}),
        10: _rule(10, "餐饮业", {"Y": 300, "R": 10000}, {"Y": 100, "R": 2000},
                  {"Y": 10, "R": 100}),
        11: _rule(11, "信息传输业", {"Y": 2000, "R": 100000}, {"Y": 100, "R": 1000},
                  {"Y": 10, "R": 100}),
        12: _rule(12, "软件和信息技术服务业", {"Y": 300, "R": 10000}, {"Y": 100, "R": 1000},
                  {"Y": 10, "R": 50}),
        13: _rule(13, "房地产开发经营", {"R": 200000, "Z": 10000}, {"R": 1000, "Z": 5000},
                  {"R": 100, "Z": 2000}),
        14: _rule(14, "物业管理", {"Y": 1000, "R": 5000}, {"Y": 300, "R": 1000},
                  {"Y": 100, "R": 500}),
        15: _rule(15, "租赁和商务服务业", {"Y": 300, "Z": 120000}, {"Y": 100, "Z": 8000},
                  {"Y": 10, "Z": 100}),
        16: _rule(16, "其他未列明行业", {"Y": 300}, {"Y": 100}, {"Y": 10}),
    }
}
CURRENT_RULESET = "2011"

# GB/T 4754-2017 divisions to the standard's 16 industries. Sections map whole unless a
# division is named. Division 70 holds both 房地产开发经营 (7010) and 物业管理 (7020); the registry
# keeps divisions only, so it is classed as development, the larger group.
_SECTION_INDUSTRY = {"A": 1, "B": 2, "C": 2, "D": 2, "E": 3, "L": 15}
_DIVISION_INDUSTRY = {
    "F51": 4, "F52": 5,
    "G54": 6, "G55": 6, "G56": 6, "G57": 6, "G58": 6, "G59": 7, "G60": 8,
    "H61": 9, "H62": 10,
    "I63": 11, "I64": 11, "I65": 12,
    "K70": 13,
}



@dataclass(frozen=True)
class NotClassed:
    """Why a division gets no size class under the 2011 standard: a stable code and a message."""

    code: str
    message: object


RAILWAYS = NotClassed(
    "size_railway_not_covered",
    _("Railway transport (GB/T 4754 division 53) is outside the 2011 size standard: its"
      " transport industry excludes railway transport and no other industry of the standard"
      " covers it, so no size class is given."),
)
FINANCE = NotClassed(
    "size_financial_standard",
    _("Financial enterprises (GB/T 4754 divisions 66–69) are sized under the financial"
      " industry's own standard (Yinfa [2015] No. 309), by kind of institution and total"
      " assets, which the registry does not hold; so no size class is given."),
)
# 工信部联企业〔2011〕300号 Art. 2 and 4(6): 交通运输业 "不含铁路运输业", and no other of its
# industries takes railways in. Finance (section J) is left to 金融业企业划型标准规定
# (银发〔2015〕309号), which classes by institution type (banks, securities, insurance,
# trusts …, a distinction below the division) and by total assets; until the registry holds
# both it refuses to class rather than fall back to 其他未列明行业.
_NOT_CLASSED = {"G53": RAILWAYS, "J66": FINANCE, "J67": FINANCE, "J68": FINANCE, "J69": FINANCE}


def not_classed(industry_code):
    """The NotClassed reason of a division the 2011 standard does not class, else None."""
    return _NOT_CLASSED.get(industry_code)


def standard_industry(industry_code):
    """The number (1–16) of the 2011 standard's industry for a GB/T 4754 division code; None
    for a division it does not class (see not_classed)."""
    if industry_code in _NOT_CLASSED:
        return None
    return _DIVISION_INDUSTRY.get(industry_code) or _SECTION_INDUSTRY.get(industry_code[0], 16)


# The standard's number of 工业.
INDUSTRIAL = 2


def is_industrial(industry_code):
    """Mining, manufacturing and utilities (sections B, C, D) count as 工业."""
    return standard_industry(industry_code) == INDUSTRIAL


def _reaches(floors, figures):
    return all(figures.get(k) is not None and Decimal(figures[k]) >= v for k, v in floors.items())


def size_class(industry_code, *, employees, revenue, assets, ruleset=CURRENT_RULESET):
    """Classify a firm from its annual figures; None when a figure the rule needs is missing or
    the standard does not class the division (``not_classed`` says why)."""
    industry = standard_industry(industry_code)
    if industry is None:
        return None
    return classify(
        industry,
        employees=employees,
        revenue=revenue,
        assets=assets,
        ruleset=ruleset,
    )


def classify(industry, *, employees, revenue, assets, ruleset=CURRENT_RULESET):
    """Classify by the standard's industry number (1–16); see size_class.

    Industry 14 (物业管理) is reachable only this way: the registry keeps GB/T 4754 divisions,
    and division K70 is classed as 13 (房地产开发经营).
    """
    rule = RULESETS[ruleset][industry]
    figures = {"Y": employees, "R": revenue, "Z": assets}
    needed = set(rule.ceiling) | set(rule.medium) | set(rule.small)
    if any(figures[k] is None for k in needed):
        return None
    if _reaches(rule.ceiling, figures):
        return LARGE
    if _reaches(rule.medium, figures):
        return MEDIUM
    if _reaches(rule.small, figures):
        return SMALL
    return MICRO


# 规模以上工业: industrial firms with annual main-business revenue of at least 2,000 万元.
ABOVE_SCALE_THRESHOLD = Decimal("2000")


def is_above_scale(industry_code, main_business_revenue):
    if main_business_revenue is None or not is_industrial(industry_code):
        return False
    return Decimal(main_business_revenue) >= ABOVE_SCALE_THRESHOLD
