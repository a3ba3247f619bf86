"""我的待办: what waits for each account, derived from the workflows' acts.

Every app declares in its AppConfig.ready() one ``Source`` per kind of object that can wait for
someone (an application, a monitoring report, a score sheet, a payment batch …), naming the
model and the acts of its workflow (gansu_sme.workflow.Act). An object waits for a user when a
``waits`` act of its status names the user's role (and, where an act says so, the user
personally: the maker of a batch, not its approver); the user's scope is the model's
``visible_to``. Read-only accounts (auditors) see everything that waits for anyone in their
scope, marked read only; superusers see it all and may act on it.

One query per source whatever the number of items, and one for the menu badge's count: the
badge, the home page and ``GET /api/v1/tasks/`` count and list the same rows.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from gansu_sme.workflow import waiting_q


@dataclass(frozen=True)
class Source:
    """One kind of object that waits: its model, statuses and acts, and how to show it.

    ``due`` is the lookup of the date the object is due by (None: no deadline); ``url`` gives
    the page where the action is; ``describe`` the object's name in the list; ``related`` what
    those two read, loaded with the rows; ``scope`` narrows the model to what a user sees
    (default ``visible_to``).
    """

    kind: str
    label: Any
    model: Any
    statuses: Any
    acts: Mapping[str, tuple]
    url: Callable[[Any], str]
    describe: Callable[[Any], str] = str
    due: str | None = None
    related: tuple[str, ...] = ()
    scope: Callable[[Any], QuerySet] | None = None

    def visible(self, user):
        return self.scope(user) if self.scope else self.model.objects.visible_to(user)

    def waiting_q(self, user):
        """The rows that wait for ``user``: by role, or for a reader, for anyone."""
        return waiting_q(self.acts, user.role, user=user, anyone=_reads_all(user))

    def queryset(self, user):
        rows = self.visible(user).filter(self.waiting_q(user))
        if self.related:
            rows = rows.select_related(*self.related)
        if self.due:
            rows = rows.annotate(inbox_due=F(self.due))
        return rows


@dataclass(frozen=True)
class Item:
    """One thing waiting: what it is, its status, when it is due and where to act on it."""

    kind: str
    kind_label: str
    object_id: int
    object: str
    status: str
    status_label: str
    due: datetime.date | None
    overdue: bool
    url: str
    read_only: bool = False
    sort_key: tuple = field(default=(), compare=False, repr=False)


SOURCES: list[Source] = []


def register(*sources):
    """Add sources to every inbox; called from AppConfig.ready(), once per source."""
    known = {source.kind for source in SOURCES}
    SOURCES.extend(source for source in sources if source.kind not in known)


def _reads_all(user):
    return user.is_superuser or user.is_read_only


def _waits_for_someone(user):
    return user.is_authenticated and user.is_active and not user.is_expired


def inbox_items(user, today=None):
    """Everything waiting for ``user``, overdue first, then by due date, then oldest first.

    One query per source, whatever the number of items.
    """
    if not _waits_for_someone(user):
        return []
    today = today or timezone.localdate()
    items = []
    for rank, source in enumerate(SOURCES):
        for row in source.queryset(user):
            due = getattr(row, "inbox_due", None)
            if isinstance(due, datetime.datetime):
                due = timezone.localdate(due)
            overdue = due is not None and due < today
            items.append(
                Item(
                    kind=source.kind,
                    kind_label=str(source.label),
                    object_id=row.pk,
                    object=source.describe(row),
                    status=row.status,
                    status_label=str(source.statuses(row.status).label),
                    due=due,
                    overdue=overdue,
                    url=source.url(row),
                    read_only=user.is_read_only,
                    sort_key=(not overdue, due or datetime.date.max, rank, row.pk),
                )
            )
    return sorted(items, key=lambda item: item.sort_key)


def inbox_count(user):
    """How many things wait for ``user``, for the menu badge: the rows of every source counted
    in one query (a UNION ALL of their ids), so no page pays a query per source."""
    if not _waits_for_someone(user):
        return 0
    ids = [
        source.visible(user).filter(source.waiting_q(user)).order_by().values_list("pk")
        for source in SOURCES
    ]
    return ids[0].union(*ids[1:], all=True).count() if ids else 0
