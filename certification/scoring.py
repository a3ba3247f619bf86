"""The arithmetic of score sheets and panels: Decimal, rounded to 0.1 half up (the rules are in
``certification.services.experts``). Read by the services that score and decide and by the
selectors that show sheets."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from certification.choices import AssignmentStatus, ItemKind, ItemMode

TENTH = Decimal("0.1")
TRIM_FROM = 5  # sheets from which the highest and lowest total are dropped


def round_tenth(value):
    """``value`` to one decimal, half up, as every score is kept."""
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def manual_items(ruleset):
    """The items experts score: the rule set's scored items in manual mode, in order."""
    return [
        item
        for item in ruleset.items.all()
        if item.kind == ItemKind.SCORED and item.mode == ItemMode.MANUAL
    ]


def automatic_points(application):
    """The automatic scored items' points in the evaluation stored with the application."""
    evaluation = application.evaluation
    if evaluation is None:
        return round_tenth(0)
    return round_tenth(sum(
        (
            Decimal(str(result["points"]))
            for result in evaluation.results
            if result.get("kind") == ItemKind.SCORED
            and result.get("mode") == ItemMode.AUTOMATIC
            and result.get("points") is not None
        ),
        Decimal("0"),
    ))


def panel_figures(totals):
    """(panel score, spread) of sheet totals: the mean, trimmed of one highest and one lowest
    from TRIM_FROM sheets on; the spread is the highest minus the lowest total."""
    totals = sorted(Decimal(total) for total in totals)
    kept = totals[1:-1] if len(totals) >= TRIM_FROM else totals
    return round_tenth(sum(kept) / len(kept)), round_tenth(totals[-1] - totals[0])


@dataclass(frozen=True)
class PanelCount:
    """Where a panel stands: sheets submitted, sheets not recused, and sheets required.

    ``required`` is the campaign's experts per application, or the first draw's size when the
    province drew more. A recused sheet never counts: the panel is complete only when as many
    sheets as required are submitted and no sheet not recused is still open.
    """

    submitted: int
    seated: int
    required: int

    @property
    def complete(self) -> bool:
        return self.submitted >= self.required and self.submitted == self.seated

    @property
    def replacement_needed(self) -> bool:
        """A recusal left fewer experts on the panel than required, and none was drawn yet."""
        return self.seated < self.required


def panel_required(application) -> int:
    """How many submitted sheets not recused a decision needs (see PanelCount)."""
    first = application.draws.order_by("drawn_at", "id").values_list("count", flat=True).first()
    return max(application.campaign.experts_per_application, first or 0)


def panel_count(application) -> PanelCount:
    """The PanelCount of an application, from its sheets and its first draw."""
    statuses = list(application.assignments.values_list("status", flat=True))
    seated = [status for status in statuses if status != AssignmentStatus.RECUSED]
    return PanelCount(
        submitted=sum(1 for status in seated if status == AssignmentStatus.SUBMITTED),
        seated=len(seated),
        required=panel_required(application),
    )


def panel_complete(application):
    """True when the panel is complete (PanelCount.complete): the rule every decision reads."""
    return panel_count(application).complete
