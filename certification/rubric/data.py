"""What the engine is given: a rule set's items and one enterprise's facts."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """One item of a rule set, as ``RuleItem.as_item()`` hands it over."""

    code: str
    kind: str
    mode: str
    group: str
    title: str
    title_en: str
    metric: str = ""
    max_points: Decimal | None = None
    bands: tuple = ()
    alternatives: tuple = ()
    criteria: dict = field(default_factory=dict)
    waives: str = ""


@dataclass(frozen=True)
class Rules:
    """A rule set with its items in order, as ``RuleSet.as_rules()`` hands it over."""

    code: str
    kind: str
    pass_mark: Decimal | None
    group_minimums: dict
    items: tuple


@dataclass(frozen=True)
class ManualInput:
    """A reviewer's or expert's entry, always with its evidence note.

    For a manual scored item: ``points``, or a ``value`` looked up in its bands; for a manual
    condition, direct route or veto: ``met`` (for a veto, whether the circumstance it names
    applies); for a declared figure: its ``value`` (a date for a date figure).
    """

    evidence: str
    value: Decimal | date | None = None
    points: Decimal | None = None
    met: bool | None = None

    def as_json(self):
        entry = {"evidence": self.evidence}
        for key in ("value", "points", "met"):
            value = getattr(self, key)
            if value is not None:
                if isinstance(value, date):
                    value = value.isoformat()
                entry[key] = str(value) if isinstance(value, Decimal) else value
        return entry


@dataclass(frozen=True)
class Facts:
    """What is known about one enterprise for an evaluation.

    ``year`` is the prior year (上年度) the evaluation looks back from; ``reports`` holds the
    verified annual figures by year, a year without a verified report being absent;
    ``declared`` and ``inputs`` map figure names and item codes to ``ManualInput`` entries.
    """

    year: int
    reports: dict
    founded_on: date | None = None
    niche_market: str = ""
    declared: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    # The enterprise's GB/T 4754 division code, for its size class.
    industry_code: str = ""
    # The valid provincial 专精特新 certificate the registry holds ({"number", "valid_until"}),
    # None when it holds none; the 小巨人 rules read it.
    zjtx_certificate: dict | None = None
