"""The operations log as an auditor reads it: the rows of ``oplog`` (sign-ins, exports,
downloads, passwords) and the row changes the history triggers captured, in one timeline.

Changes are not copied into the log: they are read where django-pghistory keeps them
(``gansu_sme.models.AuditEvent``), with the user and address of their request's context.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.db.models import CharField, F, Func, JSONField, Max, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.choices import Role
from accounts.models import ApiToken, User
from accounts.signin import locked_until
from gansu_sme.models import AuditEvent
from oplog.choices import Kind, Sensitive
from oplog.models import Operation

# The history triggers' labels of a change, in words.
CHANGE_ACTIONS = {
    "insert": gettext_lazy("Created"),
    "update": gettext_lazy("Modified"),
    "delete": gettext_lazy("Deleted"),
}
# Rows whose names are looked up together, when a page or an export is described.
DESCRIBE_CHUNK = 500


def may_administer_accounts(user: User) -> bool:
    """Administrators: superusers and staff allowed to change accounts. They reset passwords,
    lift sign-in locks and see and revoke every account's API tokens."""
    return user.is_active and (
        user.is_superuser or (user.is_staff and user.has_perm("accounts.change_user"))
    )


def may_read_operations(user: User) -> bool:
    """Auditors and administrators read the operations log; nobody writes it."""
    return user.is_active and user.has_role(Role.AUDITOR)


def tracked_models() -> list[Any]:
    """The models whose row changes are in the history, for the object filter."""
    import pghistory.models

    models = {
        event.pgh_tracked_model
        for event in apps.get_models()
        if issubclass(event, pghistory.models.Event) and hasattr(event, "pgh_tracked_model")
    }
    return sorted(models, key=lambda model: model._meta.label)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def operation_list(
    *,
    user: User | None = None,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    object_type: str = "",
    object_id: str = "",
) -> QuerySet:
    """Every logged operation and every row change matching the filters, newest first.

    Each row is a dict: key, at, kind, action, user_id, username, address, object_type,
    object_id, object_repr, details. Dates are Beijing calendar days, both ends included.
    """
    operations = Operation.objects.all()
    changes = AuditEvent.objects.all()
    if user is not None:
        operations = operations.filter(user=user)
        changes = changes.filter(user=user.pk)
    if date_from is not None:
        operations = operations.filter(at__gte=_day_start(date_from))
        changes = changes.filter(pgh_created_at__gte=_day_start(date_from))
    if date_to is not None:
        end = _day_start(date_to + datetime.timedelta(days=1))
        operations = operations.filter(at__lt=end)
        changes = changes.filter(pgh_created_at__lt=end)
    if object_type:
        operations = operations.filter(object_type=object_type)
        changes = changes.filter(pgh_obj_model=object_type)
    if object_id:
        operations = operations.filter(object_id=object_id)
        changes = changes.filter(pgh_obj_id=object_id)
    text = CharField()
    operation_rows = operations.values(
        key=Concat(Value("op:"), Cast("id", text), output_field=text),
        at_=F("at"),
        kind_=F("kind"),
        action=Value("", output_field=text),
        user_id_=F("user_id"),
        username_=F("username"),
        address_=Func(F("address"), function="host", output_field=text),
        object_type_=F("object_type"),
        object_id_=F("object_id"),
        object_repr_=F("object_repr"),
        details_=F("details"),
    )
    change_rows = changes.values(
        key=F("pgh_slug"),
        at_=F("pgh_created_at"),
        kind_=Value(Kind.CHANGE.value, output_field=text),
        action=F("pgh_label"),
        user_id_=F("user"),
        username_=Value("", output_field=text),
        address_=F("address"),
        object_type_=F("pgh_obj_model"),
        object_id_=F("pgh_obj_id"),
        object_repr_=Value("", output_field=text),
        details_=Value({}, output_field=JSONField()),
    )
    if kind == Kind.CHANGE:
        rows = change_rows
    elif kind:
        rows = operation_rows.filter(kind=kind)
    else:
        rows = operation_rows.union(change_rows, all=True)
    return rows.order_by("-at_", "-key")


@dataclass
class OperationRow:
    """One row of the operations log, with the names an auditor reads."""

    key: str
    at: datetime.datetime
    kind: str
    action: str
    user: User | None
    username: str
    address: str
    object_type: str
    object_id: str
    object_repr: str
    details: dict = field(default_factory=dict)
    changed_fields: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def object_label(self) -> str:
        """The object's kind in words (its model's name), or '' for none."""
        if not self.object_type:
            return ""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)

    @property
    def user_name(self) -> str:
        return str(self.user) if self.user is not None else self.username

    @property
    def object_summary(self) -> str:
        """What was acted on: its kind, its name and its key."""
        parts = [part for part in (self.object_label, self.object_repr) if part]
        if self.object_id and self.object_id not in self.object_repr:
            parts.append(f"#{self.object_id}")
        return " · ".join(parts)

    @property
    def details_summary(self) -> str:
        """The rest an auditor needs: fields changed, rows exported, the name typed."""
        if self.kind == Kind.CHANGE:
            action = str(CHANGE_ACTIONS.get(self.action, self.action))
            if self.changed_fields:
                return _("%(action)s: %(fields)s") % {
                    "action": action, "fields": _(", ").join(self.changed_fields),
                }
            return action
        if self.kind == Kind.EXPORT and "rows" in self.details:
            filters = self.details.get("filters") or {}
            text = ngettext("%(count)d row", "%(count)d rows", self.details["rows"]) % {
                "count": self.details["rows"]
            }
            if filters:
                text += "; " + _("filters: %(filters)s") % {
                    "filters": _(", ").join(
                        f"{name}={value}" for name, value in sorted(filters.items())
                    )
                }
            return text
        if self.kind == Kind.VIEW and self.details.get("data") in Sensitive.values:
            return str(Sensitive(self.details["data"]).label)
        if self.kind == Kind.SIGN_IN_FAILED and self.user is None and self.username:
            return _("name typed: %(name)s") % {"name": self.username}
        return ""


def _changed_fields(rows: list[dict]) -> dict[str, list[str]]:
    """The fields each change row altered, by key: one query per event model on the page."""
    by_model: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row["kind_"] == Kind.CHANGE and row["action"] != "insert":
            model_label, _sep, pk = row["key"].partition(":")
            by_model[model_label].append(int(pk))
    found: dict[str, list[str]] = {}
    for model_label, ids in by_model.items():
        event_model = apps.get_model(model_label)
        tracked = event_model.pgh_tracked_model._meta
        for event in AuditEvent.objects.across(event_model).filter(pgh_id__in=ids).values(
            "pgh_slug", "pgh_diff"
        ):
            names = []
            for attname in sorted(event["pgh_diff"] or {}):
                if attname == "updated_at":
                    continue
                try:
                    model_field = tracked.get_field(attname.removesuffix("_id"))
                except Exception:  # noqa: BLE001 - a column since removed from the model
                    names.append(attname)
                    continue
                names.append(str(getattr(model_field, "verbose_name", attname)))
            found[event["pgh_slug"]] = names
    return found


def _object_names(rows: list[dict]) -> dict[tuple[str, str], str]:
    """The current name of each changed object: one query per model on the page."""
    ids: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["kind_"] == Kind.CHANGE and row["object_type_"] and row["object_id_"]:
            ids[row["object_type_"]].add(row["object_id_"])
    names = {}
    for label, keys in ids.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        # Names often include a related row (a report's enterprise): fetched in the same query.
        for pk, obj in model._base_manager.select_related().in_bulk(list(keys)).items():
            names[(label, str(pk))] = str(obj)
    return names


def operation_rows(rows: Iterable[dict]) -> Iterator[OperationRow]:
    """Rows of ``operation_list`` with users, object names and changed fields looked up, a
    chunk at a time, so that a page or a whole export costs a few queries per chunk."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, DESCRIBE_CHUNK)):
        users = User.objects.in_bulk({row["user_id_"] for row in chunk if row["user_id_"]})
        names = _object_names(chunk)
        fields = _changed_fields(chunk)
        for row in chunk:
            user_id = int(row["user_id_"]) if row["user_id_"] else None
            yield OperationRow(
                key=row["key"],
                at=row["at_"],
                kind=row["kind_"],
                action=row["action"],
                user=users.get(user_id) if user_id else None,
                username=row["username_"] or "",
                address=row["address_"] or "",
                object_type=row["object_type_"] or "",
                object_id=row["object_id_"] or "",
                object_repr=row["object_repr_"]
                or names.get((row["object_type_"], row["object_id_"]), ""),
                details=row["details_"] or {},
                changed_fields=fields.get(row["key"], []),
            )


def token_list(*, actor: User, everyone: bool = False) -> QuerySet:
    """The API tokens ``actor`` may see: their own; every account's for an administrator who
    asks for ``everyone``. Expired tokens stay listed (marked) until knox deletes them."""
    tokens = ApiToken.objects.select_related("user").order_by("-created", "-id")
    if everyone and may_administer_accounts(actor):
        return tokens
    return tokens.filter(user=actor)


@dataclass
class Lockout:
    """An account or an address with failed sign-ins on record, and until when it is locked."""

    username: str
    address: str
    failures: int
    last_failure: datetime.datetime
    locked_until: datetime.datetime | None


def lockout_list() -> list[Lockout]:
    """Accounts and addresses with failed sign-ins remembered, locked ones first: what an
    administrator unlocks (``services.lockout_clear``)."""
    rows = []
    for column in ("username", "ip_address"):
        grouped = (
            AccessAttempt.objects.exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .order_by("-last")
        )
        for group in grouped:
            username = group[column] if column == "username" else ""
            address = group[column] if column == "ip_address" else ""
            rows.append(Lockout(
                username=username, address=address, failures=group["failures"],
                last_failure=group["last"],
                locked_until=locked_until(username=username or None, address=address or None),
            ))
    return sorted(rows, key=lambda row: (row.locked_until is None, -row.last_failure.timestamp()))
