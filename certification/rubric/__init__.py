"""The rubric engine: one enterprise's facts against one rule set, with no database access.

Rule sets are data (``certification.models.RuleSet``); this module only knows how to read them.
An item is one of four kinds:

* a scored indicator earns the points of the band its value falls in (bands: lower bound
  inclusive, upper bound exclusive, ``lo <= v < hi``, RULES §1.2), or the highest points over
  several alternative metrics (indicator 11: "R&D ≥ 5 M yuan or ≥ 10 % of revenue");
* a basic condition must pass; ``criteria`` is a tree of ``{"all": [...]}``, ``{"any": [...]}``
  and leaves ``{"metric", "op", "value"}``;
* a direct route (直通条件) stands in for every basic condition of the group it ``waives``;
* a veto (否决项) stops the enterprise when the circumstance it names applies.

The score test (total ≥ pass mark and every group minimum reached) counts only through a basic
condition that reads the derived metric ``score_passed``, so "score ≥ 60 or a direct route" is
data too.

Logic is three-valued: a figure that is missing makes an automatic item *unknown*, never zero,
and a manual item without an entry is unknown as well. An outcome is still decided when the
missing parts cannot change it (a veto already hit, a condition already failed, a total that
already reaches the pass mark); otherwise it is *incomplete* and says what is missing.

Money is in 万元 (10,000 yuan) as the monitoring reports keep it; ratios are fractions
(0.03 = 3 %). Values are compared as exact ``Decimal``; figures are rounded only for display.
"""

from .data import Facts, Item, ManualInput, Rules
from .engine import evaluate
from .metrics import FIGURE_LABELS, METRICS, REPORT_FIGURES, SCORE_PASSED, YEARS_READ
from .results import ItemResult, Result
from .validation import InvalidInput, item_errors, parse_declared, parse_inputs, rules_errors

__all__ = [
    "FIGURE_LABELS",
    "METRICS",
    "REPORT_FIGURES",
    "SCORE_PASSED",
    "YEARS_READ",
    "Facts",
    "InvalidInput",
    "Item",
    "ItemResult",
    "ManualInput",
    "Result",
    "Rules",
    "evaluate",
    "item_errors",
    "parse_declared",
    "parse_inputs",
    "rules_errors",
]
