"""Read paths of the cultivation pool: lists, an entry with everything recorded about it."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from gansu_sme.exceptions import OutOfScope
from gansu_sme.models import AuditEvent
from registry.choices import PeriodKind, PoolKind, ReportStatus
from registry.models import (
    CultivationPlan,
    Enterprise,
    MonitoringReport,
    PoolEntry,
    PoolEntryTransition,
    ServiceVisit,
)
from registry.scaleup import YEARS_JUDGED, Suggestion, suggest_category

# Changes of these fields are listed on the entry page; status changes have their own rows.
HISTORY_FIELDS = (
    "category", "suggested_category", "category_override_reason", "track",
    "statistics_registered", "contact_officer", "contact_officer_phone",
)


def scale_up_category_suggest(
    enterprise: Enterprise, *, year: int, statistics_registered: bool = False
) -> Suggestion:
    """The category the verified annual figures suggest; rules in ``registry.scaleup``.

    Reads the enterprise's verified annual reports (status verified, period kind year) of the
    latest year at or before ``year`` that has one and of the two years before it, in one
    query, and returns a ``registry.scaleup.Suggestion`` with the category, its explanation
    and the figures used.
    """
    reports = MonitoringReport.objects.filter(
        enterprise=enterprise,
        period_kind=PeriodKind.YEAR,
        status=ReportStatus.VERIFIED,
        year__lte=year,
    ).order_by("-year")
    revenues = dict(reports.values_list("year", "main_business_revenue")[:YEARS_JUDGED])
    return suggest_category(
        revenues,
        year=year,
        industry_code=enterprise.industry.code,
        founded_on=enterprise.founded_on,
        statistics_registered=statistics_registered,
    )


def pool_entry_list(*, user: User) -> QuerySet[PoolEntry]:
    """Pool entries the user may see, with what lists, exports and the API show eagerly loaded.

    ``enterprise_name`` is annotated so lists can be sorted, and cursor-paged, by it.
    """
    return (
        PoolEntry.objects.visible_to(user)
        .select_related("enterprise__region__parent", "enterprise__industry", "promoted_to")
        .annotate(enterprise_name=F("enterprise__name"))
    )


def pool_entry_get(*, user: User, pk: int) -> PoolEntry:
    entry = pool_entry_list(user=user).select_related("admitted_by").filter(pk=pk).first()
    if entry is None:
        raise OutOfScope()
    return entry


def pool_entries_of_enterprise(*, user: User, enterprise: Enterprise) -> QuerySet[PoolEntry]:
    """The enterprise's entries in every pool, current ones first."""
    return (
        PoolEntry.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("pool", F("closed_at").desc(nulls_first=True), "-id")
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class EntryChange:
    at: object
    user: object
    tier: str
    changes: list


@dataclass(frozen=True)
class PoolEntryDetail:
    entry: PoolEntry
    # The entries this firm held in the same pool on its way up, lowest tier first.
    path: list
    transitions: list
    plans: list
    visits: list
    changes: list
    # The category the figures suggest now, for 规下转规上 entries; None otherwise.
    suggestion: object


def _promotion_path(entry):
    """The entry's promotion chain in its pool: where it came from and where it went."""
    siblings = {
        e.pk: e
        for e in PoolEntry.objects.filter(enterprise_id=entry.enterprise_id, pool=entry.pool)
        .select_related("admitted_by")
    }
    successor = {e.promoted_from_id: e for e in siblings.values() if e.promoted_from_id}
    first = siblings[entry.pk]
    while first.promoted_from_id in siblings:
        first = siblings[first.promoted_from_id]
    path = [first]
    while path[-1].pk in successor:
        path.append(successor[path[-1].pk])
    return path


def _display(field, raw):
    if raw is None or raw == "":
        return "—"
    if isinstance(raw, bool):
        return gettext("Yes") if raw else gettext("No")
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    return str(raw)


def _changes(path):
    """Who changed the category, track or contact officer of the entries, newest first."""
    tiers = {e.pk: e.get_tier_display() for e in path}
    events = list(
        AuditEvent.objects.tracks(path)
        .filter(pgh_label="update")
        .order_by("-pgh_created_at", "-pgh_id")
    )
    users = get_user_model().objects.in_bulk({int(e.user_id) for e in events if e.user_id})
    meta = PoolEntry._meta
    changes = []
    for event in events:
        fields = [
            FieldChange(
                label=str(meta.get_field(name).verbose_name),
                old=_display(meta.get_field(name), old),
                new=_display(meta.get_field(name), new),
            )
            for name, (old, new) in sorted((event.pgh_diff or {}).items())
            if name in HISTORY_FIELDS
        ]
        if fields:
            changes.append(
                EntryChange(
                    at=event.pgh_created_at,
                    user=users.get(int(event.user_id)) if event.user_id else None,
                    tier=tiers[int(event.pgh_obj_id)],
                    changes=fields,
                )
            )
    return changes


def pool_entry_detail(*, entry: PoolEntry) -> PoolEntryDetail:
    """Everything the entry page shows, in a fixed number of queries.

    Transitions, plans and visits cover the whole promotion path, so the city-tier entry of a
    firm shows what the county recorded before promoting it.
    """
    path = _promotion_path(entry)
    ids = [e.pk for e in path]
    suggestion = None
    if entry.pool == PoolKind.SCALE_UP:
        suggestion = scale_up_category_suggest(
            entry.enterprise,
            year=timezone.localdate().year,
            statistics_registered=entry.statistics_registered,
        )
    return PoolEntryDetail(
        entry=entry,
        path=path,
        transitions=list(
            PoolEntryTransition.objects.filter(entry_id__in=ids).select_related("actor", "entry")
        ),
        plans=list(
            CultivationPlan.objects.filter(entry_id__in=ids).select_related("created_by", "entry")
        ),
        visits=list(
            ServiceVisit.objects.filter(entry_id__in=ids).select_related("created_by", "entry")
        ),
        changes=_changes(path),
        suggestion=suggestion,
    )
