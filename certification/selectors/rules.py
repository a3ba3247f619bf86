"""Read paths of rule sets and the facts an evaluation reads."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import rubric
from certification.models import RuleSet
from gansu_sme.exceptions import DomainError
from registry.choices import PeriodKind, ReportStatus
from registry.models import Enterprise, MonitoringReport


def ruleset_current(kind: str, on: datetime.date | None = None) -> RuleSet:
    """The active rule set of a kind in force on a date (today by default), items prefetched.

    The one in force is the active rule set with the latest effective date on or before ``on``.
    """
    ruleset = (
        RuleSet.objects.filter(
            kind=kind, is_active=True, effective_from__lte=on or timezone.localdate()
        )
        .order_by("-effective_from")
        .prefetch_related("items")
        .first()
    )
    if ruleset is None:
        raise DomainError(
            _("No rule set of this kind is in force on that date."), code="no_ruleset_in_force"
        )
    return ruleset


def evaluation_facts(
    *,
    enterprise: Enterprise,
    year: int,
    inputs: dict[str, Any] | None = None,
    declared: dict[str, Any] | None = None,
) -> rubric.Facts:
    """What the engine needs about an enterprise, looking back from ``year``; one query.

    Reads the verified annual monitoring reports of ``year`` and the years before it that the
    metrics use; a year without a verified report is simply absent from the facts.
    """
    rows = MonitoringReport.objects.filter(
        enterprise=enterprise,
        status=ReportStatus.VERIFIED,
        period_kind=PeriodKind.YEAR,
        year__gt=year - rubric.YEARS_READ,
        year__lte=year,
    ).values("year", *rubric.REPORT_FIGURES)
    return rubric.Facts(
        year=year,
        reports={row.pop("year"): row for row in rows},
        founded_on=enterprise.founded_on,
        niche_market=enterprise.niche_market,
        declared=declared or {},
        inputs=inputs or {},
    )
