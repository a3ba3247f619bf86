"""The one way anything changes status: lock, check, change, record, then enqueue.

A workflow is data: a table ``{status: {verb: target}}`` and, beside it, who may act in each
status (``acts``). ``transition`` runs every verb of every workflow the same way: it re-reads
the object under a row lock within the actor's scope, checks the table, the acting role and the
caller's ``guard``, sets the status and its timestamp, lets the caller's ``apply`` set the
fields the verb changes, saves, appends the workflow's transition record and hands ``after`` to
``transaction.on_commit``. The inbox (我的待办) reads the same ``acts`` to find what waits for
whom, so a workflow declared here appears in everyone's list.

Grown from the application workflow of ``certification``, which keeps its idempotency (a verb
repeated on an object it already moved writes nothing) and its ``expected_status`` guard
against a stale second tab.
"""

from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gansu_sme import formatting
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied

REASON_MESSAGE = _("Please give a reason.")
REASON_FIELD_MESSAGE = _("A reason is required.")


def _refusal_text(noun, status, verb):
    if isinstance(noun, tuple):
        # (Chinese, English), as workflows named their objects before the catalogues held them.
        noun = formatting.in_language(noun[0], noun[1].lower())
    return gettext(
        "This change of status is not allowed: %(noun)s is “%(status)s”; “%(verb)s” is not"
        " possible now."
    ) % {"noun": noun, "status": status, "verb": verb}


# In the language of whoever reads the refusal, not of the moment it was raised.
refusal_message = lazy(_refusal_text, str)


class Act:
    """Who may act on an object waiting in a status, and with which verbs.

    ``roles`` act when the object's fields equal ``where`` (e.g. a county-filed application);
    ``verbs`` None means every verb the status allows. ``waits`` says the status waits for
    these roles, so the object is in their inbox (gansu_sme.inbox); an act such as
    withdrawing is open to the filing side without the object waiting for it. ``inbox(user)``
    narrows what waits to the user personally (a Q): the maker's own draft batch, a batch the
    user neither made nor submitted.
    """

    def __init__(self, roles, verbs=None, where=None, waits=True, inbox=None):
        self.roles = frozenset(roles)
        self.verbs = None if verbs is None else frozenset(verbs)
        self.where = dict(where or {})
        self.waits = waits
        self.inbox = inbox

    def matches(self, obj):
        return all(getattr(obj, name) == value for name, value in self.where.items())

    def allows(self, role, obj, verb):
        return (
            role in self.roles
            and (self.verbs is None or verb in self.verbs)
            and self.matches(obj)
        )


def waiting_roles(acts, obj):
    """The roles ``obj`` waits for in its current status, by a workflow's ``acts``."""
    return frozenset(
        role
        for act in acts.get(obj.status, ())
        if act.waits and act.matches(obj)
        for role in act.roles
    )


def waiting_q(acts, role, *, user=None, anyone=False):
    """Rows that wait for ``role`` by a workflow's ``acts``: the inbox's filter.

    Given ``user``, an act that narrows what waits to the user personally (``Act.inbox``) does
    so; ``anyone`` takes the rows that wait for any role, as a reader (an auditor) sees them.
    """
    condition = Q(pk__in=[])
    for status, status_acts in acts.items():
        for act in status_acts:
            if not act.waits or not (anyone or role in act.roles):
                continue
            personal = act.inbox(user) if act.inbox and user is not None and not anyone else Q()
            condition |= Q(status=status, **act.where) & personal
    return condition


@dataclass(frozen=True)
class Workflow:
    """One workflow: the model that moves, its record model, its verbs, table and acts.

    ``table`` maps a status to ``{verb: target}``; a target may be a function of the locked
    object when the place a verb leads depends on it (an application's return). ``subject`` is
    the record's foreign key to the object; ``changed_at`` the field stamped with the time of
    every change, if the model keeps one; ``lock_related`` what the lock reads along.
    """

    name: str
    model: type[models.Model]
    record: type[models.Model]
    subject: str
    statuses: type[models.TextChoices]
    verbs: type[models.TextChoices]
    # Keyed by the workflow's own TextChoices, which mypy does not take for plain strings.
    table: Mapping[Any, Mapping[Any, Any]]
    acts: Mapping[Any, tuple[Act, ...]] = field(default_factory=dict)
    reason_required: frozenset = frozenset()
    changed_at: str | None = None
    lock_related: tuple[str, ...] = ()
    # How refusals name the object: a translatable noun, e.g. _("the report").
    noun: Any = _("the object")

    def sources(self, verb):
        """The statuses ``verb`` leaves."""
        return frozenset(status for status, moves in self.table.items() if verb in moves)

    def target(self, obj, verb):
        target = self.table[obj.status][verb]
        return target(obj) if callable(target) else target

    def roles_for(self, obj, verb):
        """The roles that may apply ``verb`` to ``obj`` in its current status."""
        if verb not in self.table.get(obj.status, {}):
            return frozenset()
        return frozenset(
            role
            for act in self.acts.get(obj.status, ())
            for role in act.roles
            if act.allows(role, obj, verb)
        )

    def may(self, actor, obj, verb):
        """Whether ``actor`` (None: the system) may apply ``verb`` to ``obj`` now."""
        if verb not in self.table.get(obj.status, {}):
            return False
        if actor is None or actor.is_superuser:
            return True
        if actor.is_read_only or actor.is_expired:
            return False
        return actor.role in self.roles_for(obj, verb)

    def allowed_verbs(self, actor, obj):
        """The verbs ``actor`` may apply now, in the order of the verb choices: the buttons."""
        return [verb for verb in self.verbs if self.may(actor, obj, verb)]

    def waiting_q(self, role):
        return waiting_q(self.acts, role)

    def refusal(self, obj, verb):
        return InvalidTransition(
            refusal_message(
                self.noun, self.statuses(obj.status).label, self.verbs(verb).label
            )
        )


def record(workflow, obj, *, verb="", from_status="", actor=None, reason=""):
    """Append one record of ``workflow`` for ``obj``: its creation (``from_status`` blank), a
    change of status, or a step that keeps the status (a partial repayment)."""
    return workflow.record.objects.create(
        **{workflow.subject: obj},
        verb=verb,
        from_status=from_status,
        to_status=obj.status,
        actor=actor,
        reason=reason,
    )


def lock(workflow, actor, obj):
    """``obj`` re-read under a row lock within the actor's scope (OutOfScope if it is not)."""
    queryset = workflow.model.objects.all()
    if workflow.lock_related:
        queryset = queryset.select_related(*workflow.lock_related)
    return queryset.get_visible(actor, obj.pk, lock=True)


def _already_done(workflow, locked, verb, actor):
    # The same actor's repeat (a double click, a retried request); another officer trying a
    # step already taken is told it is not possible now.
    last = (
        workflow.record.objects.filter(**{workflow.subject: locked})
        .order_by("-at", "-id")
        .first()
    )
    return (
        last is not None
        and bool(workflow.sources(verb))
        and last.verb == verb
        and last.to_status == locked.status
        and last.actor_id == (actor.pk if actor is not None else None)
    )


@contextmanager
def _history(actor, reason):
    """The history context of one step: its actor, and its reason unless an enclosing context
    (a demo load, an import) already gives the reason every row it writes is kept for."""
    with pghistory.context(user=actor.pk if actor is not None else None) as context:
        outer = context.metadata.get("reason")
        context.metadata["reason"] = outer or reason
        try:
            yield
        finally:
            if outer is None:
                context.metadata.pop("reason", None)


@transaction.atomic
def transition(
    workflow: Workflow,
    *,
    actor,
    obj,
    verb,
    reason: str = "",
    expected_status=None,
    guard: Callable | None = None,
    apply: Callable | None = None,
    after: Callable | None = None,
    locked: bool = False,
):
    """Apply ``verb`` to ``obj`` and return the object as changed.

    Preconditions: ``obj`` is in a status the table lets ``verb`` leave; ``actor`` sees it and
    has a role the acts allow there (``actor`` None is the system); a reason is given where
    the workflow requires one; ``guard(locked)`` raises nothing.

    Idempotent: when the object already stands where ``verb`` leads and its last record was
    ``verb`` by the same actor, nothing is written and it is returned unchanged, so a double
    click or a retried request is harmless. A caller that knows the status the user saw passes it as
    ``expected_status``: a verb that lands in a status it may leave again is then not repeated.

    ``apply(locked)`` sets the fields the verb changes besides the status, inside the lock and
    before the save; ``after(locked)`` runs on commit (e-mails, events, tasks). A caller that
    already holds the row lock (it had to lock in a fixed order) passes ``locked=True``.

    Side effects: the status and its timestamp change, a record row is appended and the
    history row names the actor and the reason.
    """
    reason = (reason or "").strip()
    if verb in workflow.reason_required and not reason:
        raise DomainError(
            REASON_MESSAGE, code="reason_required", fields={"reason": [REASON_FIELD_MESSAGE]}
        )
    row = obj if locked else lock(workflow, actor, obj)
    stale = expected_status is not None and row.status != expected_status
    if stale or verb not in workflow.table.get(row.status, {}):
        if _already_done(workflow, row, verb, actor):
            return row
        raise workflow.refusal(row, verb)
    if not workflow.may(actor, row, verb):
        raise PermissionDenied()
    if guard is not None:
        guard(row)
    from_status = row.status
    row.status = workflow.target(row, verb)
    if workflow.changed_at:
        setattr(row, workflow.changed_at, timezone.now())
    with _history(actor, reason or str(workflow.verbs(verb).label)):
        if apply is not None:
            apply(row)
        row.save()
        record(workflow, row, verb=verb, from_status=from_status, actor=actor, reason=reason)
    if after is not None:
        transaction.on_commit(lambda: after(row))
    return row
