"""The 保/增/长/返/补 category the figures suggest for a 规下转规上 pool entry.

Pure rules over an enterprise's verified annual main-business revenue; the caller loads the
figures (``registry.selectors.pool.scale_up_category_suggest``). Above scale means what
``registry.sizeclass.is_above_scale`` says: an industrial firm (GB/T 4754 sections B, C, D) with
main-business revenue of at least ``ABOVE_SCALE_THRESHOLD`` (2,000 万元).

The figures judged are those of the latest year ``F`` at or before the year asked about that has
a verified annual report; the "previous years" are ``F - 1`` and ``F - 2``. The first rule that
holds decides:

1. no verified annual report at all, and founded within the last three years → 增; with no
   report and an older founding date → none (nothing to judge by);
2. not industrial → none (the threshold applies to industry only);
3. 补 fill: at or above the threshold but not yet in the statistics directory (入库纳统);
4. 保 keep: at or above the threshold and at most 10 % above it (2,000–2,200 万元);
5. none: comfortably above the threshold;
6. 返 return: below the threshold now, above it in ``F - 1`` or ``F - 2``;
7. 长 grow: below the threshold, at least half of it (1,000 万元) and above the ``F - 1`` figure;
8. 增 add: founded within the last three years (the year asked about or the two before), or
   no verified report for ``F - 1``;
9. otherwise none.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from gansu_sme import formatting
from registry.choices import ScaleUpCategory
from registry.sizeclass import ABOVE_SCALE_THRESHOLD, is_above_scale, is_industrial

KEEP_MARGIN = Decimal("1.10")
GROW_SHARE = Decimal("0.5")
# "Founded within the last three years": the year asked about and the two before it.
NEW_FIRM_YEARS = 3
# Years of figures the rules look at: the latest and the two before it.
YEARS_JUDGED = 3


@dataclass(frozen=True)
class YearFigures:
    year: int
    main_business_revenue: Decimal | None
    above_scale: bool


@dataclass(frozen=True)
class Suggestion:
    """A suggested category ("" for none), why, and the yearly figures it was drawn from."""

    category: str
    explanation: str
    figures: list = field(default_factory=list)

    @property
    def label(self):
        return ScaleUpCategory(self.category).label if self.category else ""


def _wan(amount):
    return formatting.wanyuan(amount)


def suggest_category(revenues, *, year, industry_code, founded_on, statistics_registered):
    """Apply the rules in the module docstring.

    ``revenues`` maps a year to its verified annual main-business revenue in 万元 (None when
    the report left it empty); years after ``year`` are ignored.
    """
    years = sorted((y for y in revenues if y <= year), reverse=True)
    new_firm = founded_on is not None and founded_on.year > year - NEW_FIRM_YEARS
    if not years:
        if new_firm:
            return Suggestion(
                ScaleUpCategory.ADD,
                _("Founded in %(founded)s, within the last three years; no verified annual "
                  "figures yet.") % {"founded": founded_on.year},
            )
        return Suggestion("", _("No verified annual report to judge by."))
    latest = years[0]
    figures = [
        YearFigures(y, revenues[y], is_above_scale(industry_code, revenues[y]))
        for y in range(latest, latest - YEARS_JUDGED, -1)
        if y in revenues
    ]
    if not is_industrial(industry_code):
        return Suggestion(
            "", _("Not an industrial firm; the above-scale threshold applies to industry only."),
            figures,
        )
    current = revenues[latest]
    if current is None:
        return Suggestion(
            "", _("The %(year)s report gives no main-business revenue.") % {"year": latest},
            figures,
        )
    facts = {
        "year": latest,
        "revenue": _wan(current),
        "threshold": _wan(ABOVE_SCALE_THRESHOLD),
    }
    if current >= ABOVE_SCALE_THRESHOLD:
        if not statistics_registered:
            return Suggestion(
                ScaleUpCategory.FILL,
                _("Main-business revenue %(revenue)s 10k yuan in %(year)s reaches the "
                  "%(threshold)s 10k yuan threshold, but the firm is not yet in the statistics "
                  "directory.") % facts,
                figures,
            )
        if current <= ABOVE_SCALE_THRESHOLD * KEEP_MARGIN:
            return Suggestion(
                ScaleUpCategory.KEEP,
                _("Main-business revenue %(revenue)s 10k yuan in %(year)s is above the "
                  "%(threshold)s 10k yuan threshold by at most 10 %%; the firm could drop below "
                  "it.") % facts,
                figures,
            )
        return Suggestion(
            "",
            _("Main-business revenue %(revenue)s 10k yuan in %(year)s is well above the "
              "%(threshold)s 10k yuan threshold.") % facts,
            figures,
        )
    earlier = [f for f in figures[1:] if f.above_scale]
    if earlier:
        return Suggestion(
            ScaleUpCategory.RETURN,
            _("Main-business revenue %(revenue)s 10k yuan in %(year)s is below the "
              "%(threshold)s 10k yuan threshold, which it reached in %(earlier)s.")
            % {**facts, "earlier": earlier[0].year},
            figures,
        )
    previous = revenues.get(latest - 1)
    if (
        current >= ABOVE_SCALE_THRESHOLD * GROW_SHARE
        and previous is not None
        and current > previous
    ):
        return Suggestion(
            ScaleUpCategory.GROW,
            _("Main-business revenue %(revenue)s 10k yuan in %(year)s is at least half the "
              "%(threshold)s 10k yuan threshold and up from %(previous)s 10k yuan in "
              "%(previous_year)s.")
            % {**facts, "previous": _wan(previous), "previous_year": latest - 1},
            figures,
        )
    if new_firm:
        return Suggestion(
            ScaleUpCategory.ADD,
            _("Founded in %(founded)s, within the last three years.")
            % {"founded": founded_on.year},
            figures,
        )
    if (latest - 1) not in revenues:
        return Suggestion(
            ScaleUpCategory.ADD,
            _("No verified figures for %(previous_year)s, the year before %(year)s: new "
              "capacity or newly reporting.") % {**facts, "previous_year": latest - 1},
            figures,
        )
    return Suggestion(
        "",
        _("Main-business revenue %(revenue)s 10k yuan in %(year)s: below the %(threshold)s "
          "10k yuan threshold and not within reach by these rules.") % facts,
        figures,
    )
