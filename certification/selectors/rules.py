"""Read paths of rule sets and the facts an evaluation reads."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import rubric
from certification.choices import CertificateLevel, CertificateStatus
from certification.models import Certificate, RuleSet
from gansu_sme.exceptions import DomainError
from registry.choices import PeriodKind, ReportStatus
from registry.models import Enterprise, MonitoringReport


def _period(ruleset):
    until = ruleset.effective_until.isoformat() if ruleset.effective_until else _("open-ended")
    return f"{ruleset.code} ({ruleset.effective_from.isoformat()} – {until})"


def _overlapping(kind, first, last):
    """Active rule sets of ``kind`` whose period meets the days ``first``..``last``."""
    return list(
        RuleSet.objects.filter(kind=kind, is_active=True, effective_from__lte=last)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=first))
        .order_by("effective_from", "code")
        .prefetch_related("items")
    )


def ruleset_current(kind: str, on: datetime.date | None = None) -> RuleSet:
    """The active rule set of a kind in force on a date (today by default), items prefetched.

    The one in force is the active rule set whose period (effective_from to effective_until,
    both inclusive) holds ``on``. None in force: DomainError ``no_ruleset_in_force``; two or
    more: ``ruleset_periods_overlap``, naming them, for the administrator to fix.
    """
    on = on or timezone.localdate()
    found = _overlapping(kind, on, on)
    if not found:
        raise DomainError(
            _("No rule set of this kind is in force on %(date)s.") % {"date": on.isoformat()},
            code="no_ruleset_in_force",
        )
    if len(found) > 1:
        raise DomainError(
            _("Several rule sets of this kind are in force on %(date)s: %(rulesets)s. Set an"
              " end date on the older one.")
            % {"date": on.isoformat(), "rulesets": "; ".join(_period(r) for r in found)},
            code="ruleset_periods_overlap",
        )
    return found[0]


def ruleset_for_campaign(kind: str, opens_on: datetime.date, closes_on: datetime.date) -> RuleSet:
    """The rule set a campaign of rule-set ``kind`` filing from ``opens_on`` to ``closes_on``
    takes: the one active rule set whose period holds the whole window.

    Refused with a DomainError naming the dates and rule sets: ``no_ruleset_in_force`` when no
    period meets the window; ``ruleset_periods_overlap`` when the window falls in two or more
    periods (overlapping rule sets, or a window across a change of version);
    ``ruleset_not_in_force_throughout`` when the one rule set meeting it starts or ends within
    the window.
    """
    found = _overlapping(kind, opens_on, closes_on)
    window = {"opens": opens_on.isoformat(), "closes": closes_on.isoformat()}
    if not found:
        raise DomainError(
            _("No rule set of this kind is in force from %(opens)s to %(closes)s.") % window,
            code="no_ruleset_in_force",
        )
    if len(found) > 1:
        raise DomainError(
            _("The filing window %(opens)s – %(closes)s falls in the periods of several rule"
              " sets: %(rulesets)s. Choose dates within one of them.")
            % {**window, "rulesets": "; ".join(_period(r) for r in found)},
            code="ruleset_periods_overlap",
        )
    ruleset = found[0]
    if not (ruleset.in_force_on(opens_on) and ruleset.in_force_on(closes_on)):
        raise DomainError(
            _("The filing window %(opens)s – %(closes)s is not wholly within the period of"
              " %(ruleset)s.") % {**window, "ruleset": _period(ruleset)},
            code="ruleset_not_in_force_throughout",
        )
    return ruleset


RULESET_FIELDS = (
    "code", "kind", "title", "title_en", "legal_basis", "effective_from", "effective_until",
    "pass_mark", "group_minimums", "notes", "is_active",
)
ITEM_FIELDS = (
    "code", "kind", "mode", "group", "title", "title_en", "description", "description_en",
    "metric", "max_points", "bands", "alternatives", "criteria", "waives",
)


def ruleset_document(ruleset: RuleSet) -> dict[str, Any]:
    """A rule set as a rule-set file document (``certification.rubric.files``), items in
    order; ``rubric.files.dump_ruleset`` writes it as YAML."""
    document = {name: getattr(ruleset, name) for name in RULESET_FIELDS}
    document["items"] = [
        {name: getattr(item, name) for name in ITEM_FIELDS}
        for item in ruleset.items.order_by("position")
    ]
    return document


def evaluation_facts(
    *,
    enterprise: Enterprise,
    year: int,
    inputs: dict[str, Any] | None = None,
    declared: dict[str, Any] | None = None,
    on: datetime.date | None = None,
) -> rubric.Facts:
    """What the engine needs about an enterprise, looking back from ``year``; two queries.

    Reads the verified annual monitoring reports of ``year`` and the years before it that the
    metrics use (a year without a verified report is simply absent from the facts), and the
    provincial 专精特新 certificate valid on ``on`` (today by default), which the 小巨人
    rules read from the registry rather than from a manual entry.
    """
    rows = MonitoringReport.objects.filter(
        enterprise=enterprise,
        status=ReportStatus.VERIFIED,
        period_kind=PeriodKind.YEAR,
        year__gt=year - rubric.YEARS_READ,
        year__lte=year,
    ).values("year", *rubric.REPORT_FIGURES)
    on = on or timezone.localdate()
    certificate = (
        Certificate.objects.filter(
            enterprise=enterprise,
            level=CertificateLevel.PROVINCIAL,
            status=CertificateStatus.ACTIVE,
            issued_on__lte=on,
            valid_until__gte=on,
        )
        .order_by("-valid_until")
        .values("number", "valid_until")
        .first()
    )
    return rubric.Facts(
        year=year,
        reports={row.pop("year"): row for row in rows},
        founded_on=enterprise.founded_on,
        niche_market=enterprise.niche_market,
        declared=declared or {},
        inputs=inputs or {},
        industry_code=enterprise.industry.code,
        zjtx_certificate=dict(certificate) if certificate is not None else None,
    )
