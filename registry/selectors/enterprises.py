"""Read paths of the registry that are more than a plain filter."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext

from accounts.models import User
from gansu_sme.exceptions import OutOfScope
from gansu_sme.models import AuditEvent
from registry.models import Enterprise, Industry, Region


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises the user may see, with what list pages and the API show eagerly loaded."""
    return Enterprise.objects.visible_to(user).select_related(
        "region__parent", "industry", "industry_class"
    )


def enterprise_get(*, user: User, uscc: str) -> Enterprise:
    enterprise = enterprise_list(user=user).filter(uscc=uscc.upper()).first()
    if enterprise is None:
        raise OutOfScope()
    return enterprise


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    user: object
    request_id: str | None
    reason: str | None
    changes: list


def _display(field, raw, lookups):
    if raw is None or raw == "":
        return "—"
    if field.is_relation:
        return lookups.get(field.name, {}).get(raw, str(raw))
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, bool):
        return gettext("Yes") if raw else gettext("No")
    return str(raw)


def enterprise_history(*, enterprise: Enterprise) -> list[HistoryEntry]:
    """Who changed which field of the enterprise from what to what, newest first.

    Reads the rows written by the database triggers, so bulk updates and raw SQL show too.
    Related ids are resolved with one query per related model, whatever the history length.
    """
    events = list(
        AuditEvent.objects.tracks(enterprise).order_by("-pgh_created_at", "-pgh_id")
    )
    meta = Enterprise._meta
    ids: dict[str, set[int]] = {
        name: set() for name in ("region", "industry", "created_by", "user")
    }
    for event in events:
        if event.user_id:
            ids["user"].add(int(event.user_id))
        for name, (old, new) in (event.pgh_diff or {}).items():
            if name.endswith("_id") and name[:-3] in ids:
                ids[name[:-3]].update(v for v in (old, new) if v is not None)
    users = get_user_model().objects.in_bulk(ids["user"] | ids["created_by"])
    lookups = {
        "region": {pk: str(r) for pk, r in Region.objects.in_bulk(ids["region"]).items()},
        "industry": {pk: str(i) for pk, i in Industry.objects.in_bulk(ids["industry"]).items()},
        "created_by": {pk: str(u) for pk, u in users.items()},
    }
    history = []
    for event in events:
        changes = []
        for attname, (old, new) in sorted((event.pgh_diff or {}).items()):
            if attname == "updated_at":
                continue
            field = meta.get_field(attname[:-3] if attname.endswith("_id") else attname)
            changes.append(
                FieldChange(
                    field=field.name,
                    label=str(field.verbose_name),  # type: ignore[union-attr]  # never a reverse relation
                    old=_display(field, old, lookups),
                    new=_display(field, new, lookups),
                )
            )
        history.append(
            HistoryEntry(
                at=event.pgh_created_at,
                action=event.pgh_label,
                user=users.get(int(event.user_id)) if event.user_id else None,
                request_id=event.request_id,
                reason=event.reason,
                changes=changes,
            )
        )
    return history
