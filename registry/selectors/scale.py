"""Entries into and exits from the directory of above-scale industrial firms (入库纳统).

One rule for every count of new or net new above-scale firms: the targets' progress
(``registry.selectors.targets``), the city reward per net new firm
(``subsidies.services.city_rewards``) and the 2018 plan's three-year count of new firms
(``registry.selectors.plans``). In the terms of RULES.md §6:

- a firm is in the directory for year Y when its verified annual report of Y puts it above
  scale (``registry.sizeclass.is_above_scale``: an industrial firm, main-business revenue of
  at least 2,000 万元);
- it ENTERS the directory in Y (the entry is dated Y) when it is in it for Y and was not for
  Y − 1: its verified report of Y − 1 was below the line, or it was founded in Y (a firm that
  starts production above the line is admitted in its first year, 新建投产入库);
- it EXITS in Y when its verified report of Y − 1 put it in and that of Y does not;
- a firm founded before Y that lacks the verified report of Y − 1 or of Y counts neither way:
  where it stood is not known;
- new firms in Y = entries; net new firms in Y (净增) = entries − exits.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from gansu_sme.querysets import scoped
from registry.choices import PeriodKind, ReportStatus
from registry.models import MonitoringReport
from registry.sizeclass import is_above_scale

UP, DOWN = "up", "down"


@dataclass(frozen=True)
class DirectoryMove:
    """One firm entering (``up``) or leaving (``down``) the directory in a year."""

    enterprise_id: int
    uscc: str
    name: str
    region_path: str
    direction: str
    # None for a firm founded in the year: it had no year before.
    revenue_before: Decimal | None
    revenue_after: Decimal | None

    @property
    def founded_in_year(self) -> bool:
        return self.direction == UP and self.revenue_before is None

    def as_evidence(self) -> dict:
        """The move as kept in a city reward's evidence (JSON: amounts as text)."""
        return {
            "uscc": self.uscc,
            "name": self.name,
            "direction": self.direction,
            "revenue_before": None if self.revenue_before is None else str(self.revenue_before),
            "revenue_after": None if self.revenue_after is None else str(self.revenue_after),
        }


def directory_moves(
    *, year: int, user: User | None = None, within: str | None = None
) -> list[DirectoryMove]:
    """The firms that entered or left the directory in ``year`` (rule in the module
    docstring), among those ``user`` sees or in the region at path ``within`` and below;
    sorted by credit code. One query."""
    rows = (
        scoped(MonitoringReport.objects, user=user, within=within)
        .filter(period_kind=PeriodKind.YEAR, status=ReportStatus.VERIFIED,
                year__in=(year - 1, year))
        .values_list(
            "enterprise_id", "enterprise__uscc", "enterprise__name", "enterprise__region__path",
            "enterprise__industry__code", "enterprise__founded_on", "year",
            "main_business_revenue",
        )
    )
    firms: dict[int, dict] = {}
    for pk, uscc, name, path, industry, founded_on, report_year, revenue in rows:
        firm = firms.setdefault(pk, {
            "uscc": uscc, "name": name, "path": path, "industry": industry,
            "founded": founded_on,
        })
        firm[report_year] = revenue
    moves = []
    for pk, firm in firms.items():
        if year not in firm:
            continue
        now = is_above_scale(firm["industry"], firm[year])
        if year - 1 in firm:
            before = is_above_scale(firm["industry"], firm[year - 1])
            revenue_before = firm[year - 1]
        elif firm["founded"].year == year:
            before, revenue_before = False, None
        else:
            continue
        if now == before:
            continue
        moves.append(DirectoryMove(
            enterprise_id=pk, uscc=firm["uscc"], name=firm["name"], region_path=firm["path"],
            direction=UP if now else DOWN, revenue_before=revenue_before,
            revenue_after=firm[year],
        ))
    moves.sort(key=lambda move: move.uscc)
    return moves


def directory_size(*, year: int, within: str) -> int:
    """Firms in the directory for ``year`` in the region at path ``within`` and below: their
    verified annual report of ``year`` is above scale. One query."""
    rows = (
        MonitoringReport.objects.within(within)
        .filter(period_kind=PeriodKind.YEAR, status=ReportStatus.VERIFIED, year=year)
        .values_list("enterprise_id", "enterprise__industry__code", "main_business_revenue")
    )
    return len({pk for pk, code, revenue in rows if is_above_scale(code, revenue)})


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def net_new_per_region(moves: list[DirectoryMove]) -> Counter:
    """Entries minus exits per region subtree (keyed by region path, every ancestor too)."""
    counts: Counter = Counter()
    for move in moves:
        change = 1 if move.direction == UP else -1
        for ancestor in _ancestors(move.region_path):
            counts[ancestor] += change
    return counts


def entries_per_region(moves: list[DirectoryMove]) -> Counter:
    """Entries only (新增) per region subtree (keyed by region path, every ancestor too)."""
    counts: Counter = Counter()
    for move in moves:
        if move.direction == UP:
            for ancestor in _ancestors(move.region_path):
                counts[ancestor] += 1
    return counts
