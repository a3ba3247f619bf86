"""What the engine concludes, and its JSON form for storage (amounts as strings)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from certification.choices import ItemKind, Outcome, Verdict

from .data import Item


@dataclass
class ItemResult:
    """The engine's conclusion about one item, with the figures behind it."""

    item: Item
    verdict: str
    points: Decimal | None = None
    band: str = ""
    figures: dict = field(default_factory=dict)
    gaps: list = field(default_factory=list)
    needs_input: bool = False
    evidence: str = ""
    waived_by: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    def as_json(self):
        item = self.item
        return _jsonable(
            {
                "code": item.code,
                "kind": item.kind,
                "mode": item.mode,
                "group": item.group,
                "title": item.title,
                "title_en": item.title_en,
                "verdict": self.verdict,
                "points": self.points,
                "max_points": item.max_points,
                "band": self.band,
                "figures": self.figures,
                "missing": self.gaps,
                "needs_input": self.needs_input,
                "evidence": self.evidence,
                "waived_by": self.waived_by,
                "pending": self.pending,
            }
        )


@dataclass
class Result:
    """The evaluation of one enterprise against one rule set."""

    ruleset: str
    year: int
    outcome: str
    total_points: Decimal
    score: dict
    groups: list
    items: list
    reasons: list

    def item(self, code):
        return next(result for result in self.items if result.item.code == code)

    @property
    def direct_routes_met(self):
        return self._codes(ItemKind.DIRECT_ROUTE, Verdict.PASS)

    @property
    def vetoes_hit(self):
        return self._codes(ItemKind.VETO, Verdict.FAIL)

    @property
    def missing(self):
        """The undecided items an incomplete outcome waits for, and what each one lacks.

        Those are the undecided vetoes and basic conditions, and the scored items and direct
        routes they still depend on; an outcome that is decided waits for nothing.
        """
        if self.outcome != Outcome.INCOMPLETE:
            return []
        wanted = set()
        for result in self.items:
            deciding = result.item.kind in (ItemKind.VETO, ItemKind.BASIC_CONDITION)
            if deciding and result.verdict == Verdict.UNKNOWN:
                wanted.update([result.item.code, *result.pending])
        return [
            {
                "item": result.item.code,
                "figures": result.gaps,
                "needs_input": result.needs_input,
                "pending": result.pending,
            }
            for result in self.items
            if result.item.code in wanted and result.verdict == Verdict.UNKNOWN
        ]

    def _codes(self, kind, verdict):
        return [r.item.code for r in self.items if r.item.kind == kind and r.verdict == verdict]

    def items_json(self):
        return [result.as_json() for result in self.items]

    def summary_json(self):
        return _jsonable(
            {
                "ruleset": self.ruleset,
                "figures_year": self.year,
                "outcome": self.outcome,
                "total_points": self.total_points,
                "score": self.score,
                "groups": self.groups,
                "direct_routes_met": self.direct_routes_met,
                "vetoes_hit": self.vetoes_hit,
                "missing": self.missing,
                "reasons": self.reasons,
            }
        )


def _jsonable(value):
    # Decimals are kept as strings so that no amount passes through a float.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(inner) for inner in value]
    return value
