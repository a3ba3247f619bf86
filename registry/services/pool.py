"""State-changing use cases of the cultivation pool (培育库): entries, plans and visits.

Who may do what follows the tiers (省市县分级): county staff keep their county's county-tier
entries, city staff their prefecture's county- and city-tier entries, provincial reviewers the
province tier. Promotion is the next level's decision, so it belongs to the staff of the tier
an entry moves to. Every change of an entry's status writes a PoolEntryTransition row in the
same transaction; every row change is also captured by the history triggers.
"""

import datetime
from typing import Any

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.choices import (
    NEXT_TIER,
    POOL_ENTRY_ACTS,
    POOL_ENTRY_TRANSITIONS,
    PoolEntryStatus,
    PoolEntryVerb,
    PoolKind,
    PoolTier,
    VisitStatus,
)
from registry.models import (
    CultivationPlan,
    Enterprise,
    PoolEntry,
    PoolEntryTransition,
    ServiceVisit,
)
from registry.selectors.pool import scale_up_category_suggest

POOL_ENTRY_WORKFLOW = workflow.Workflow(
    name="pool_entry",
    model=PoolEntry,
    record=PoolEntryTransition,
    subject="entry",
    statuses=PoolEntryStatus,
    verbs=PoolEntryVerb,
    table=POOL_ENTRY_TRANSITIONS,
    acts=POOL_ENTRY_ACTS,
    reason_required=frozenset(PoolEntryVerb),
    noun=_("the pool entry"),
)

# The level of government each writing role acts for, ranked like the tiers.
ROLE_TIER: dict[str, PoolTier] = {
    Role.COUNTY_STAFF: PoolTier.COUNTY,
    Role.CITY_STAFF: PoolTier.CITY,
    Role.PROVINCIAL_REVIEWER: PoolTier.PROVINCE,
}
POOL_WRITER_ROLES = frozenset(ROLE_TIER)
TIER_RANK: dict[str, int] = {PoolTier.COUNTY: 0, PoolTier.CITY: 1, PoolTier.PROVINCE: 2}
# Tiers each role admits at: a city keeps its own list and its counties' lists; the province
# keeps the provincial list, which it fills by promotion or direct admission.
ADMIT_TIERS: dict[str, frozenset[PoolTier]] = {
    Role.COUNTY_STAFF: frozenset({PoolTier.COUNTY}),
    Role.CITY_STAFF: frozenset({PoolTier.COUNTY, PoolTier.CITY}),
    Role.PROVINCIAL_REVIEWER: frozenset({PoolTier.PROVINCE}),
}
POOL_ENTRY_EDITABLE_FIELDS = ("contact_officer", "contact_officer_phone", "track",
                              "statistics_registered")
# Fields a promoted entry carries over to its entry at the next tier.
CARRIED_ON_PROMOTION = (
    "enterprise", "pool", "track", "category", "suggested_category", "category_override_reason",
    "statistics_registered", "contact_officer", "contact_officer_phone",
)
VISIT_FIELDS = ("visited_on", "officer", "problems", "actions", "status")
EARLIEST_YEAR = 2000

CATEGORY_SCALE_UP_ONLY = _("Categories belong to the below-to-above-scale pool only.")
TRACK_SRDI_ONLY = _("The track belongs to the SRDI pool only.")
CLOSED_MESSAGE = _(
    "This entry has left the pool or moved up a tier; it can no longer be changed."
)


def _reason_required(reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.for_field("reason", gettext("Give a reason."), code="reason_required")
    return reason


def _check_writer(actor):
    if not actor.has_role(*POOL_WRITER_ROLES):
        raise PermissionDenied()


def _tier_rank(actor):
    if actor.is_superuser:
        return TIER_RANK[PoolTier.PROVINCE]
    return TIER_RANK[ROLE_TIER[actor.role]]


def _check_tier_or_above(actor, entry):
    """Staff below an entry's tier only read it: the tier that keeps the list decides.

    Callers have checked the actor is a pool writer.
    """
    if _tier_rank(actor) < TIER_RANK[entry.tier]:
        raise PermissionDenied(
            _("Only staff at the entry's tier or above may do this.")
        )


def _check_active(entry):
    if entry.status != PoolEntryStatus.ACTIVE:
        raise InvalidTransition(CLOSED_MESSAGE)


def _close(actor, entry, verb, reason):
    """Close a locked entry by ``verb`` (promote, graduate, remove) through the kernel."""

    def stamp(row):
        row.closed_at = timezone.now()
        row.closed_reason = reason

    workflow.transition(
        POOL_ENTRY_WORKFLOW, actor=actor, obj=entry, verb=verb, reason=reason, apply=stamp,
        locked=True,
    )


def _check_year(year):
    this_year = timezone.localdate().year
    if not EARLIEST_YEAR <= year <= this_year:
        raise DomainError.for_field(
            "admission_year",
            gettext("The admission year must lie between %(low)s and %(high)s.")
            % {"low": EARLIEST_YEAR, "high": this_year},
            code="invalid_admission_year",
        )


def _category_fields(enterprise, *, pool, category, override_reason, year,
                     statistics_registered):
    """Category, suggestion and override reason as stored; a category other than the
    suggestion needs a reason. A blank category takes the suggestion."""
    if pool != PoolKind.SCALE_UP:
        if category or (override_reason or "").strip():
            raise DomainError.for_field(
                "category", str(CATEGORY_SCALE_UP_ONLY), code="category_scale_up_only"
            )
        return {"category": "", "suggested_category": "", "category_override_reason": ""}
    suggestion = scale_up_category_suggest(
        enterprise, year=year, statistics_registered=statistics_registered
    )
    category = category or suggestion.category
    reason = (override_reason or "").strip()
    if category == suggestion.category:
        reason = ""
    elif not reason:
        raise DomainError.for_field(
            "category_override_reason",
            gettext("The category differs from the one the figures suggest; give a reason."),
            code="category_override_reason_required",
        )
    return {
        "category": category,
        "suggested_category": suggestion.category,
        "category_override_reason": reason,
    }


@transaction.atomic
def pool_entry_admit(
    *,
    actor: User,
    enterprise: Enterprise,
    pool: str,
    tier: str,
    admission_year: int,
    admission_reason: str,
    track: str = "",
    contact_officer: str = "",
    contact_officer_phone: str = "",
    category: str = "",
    category_override_reason: str = "",
    statistics_registered: bool = False,
) -> PoolEntry:
    """Admit an enterprise of the actor's region to a pool at a tier the actor keeps.

    County staff admit at county tier, city staff at county or city tier, provincial reviewers
    at province tier. An enterprise has at most one active entry per pool. For the 规下转规上
    pool the category the figures suggest is stored; a blank ``category`` takes it, and any
    other needs ``category_override_reason``. Writes the entry and its admission transition.
    """
    _check_writer(actor)
    locked = (
        Enterprise.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("industry")
        .filter(pk=enterprise.pk)
        .first()
    )
    if locked is None:
        raise OutOfScope()
    if not actor.is_superuser and tier not in ADMIT_TIERS[actor.role]:
        raise PermissionDenied(
            _("Your level of government does not keep this tier.")
        )
    if not locked.is_active:
        raise DomainError.for_field(
            "enterprise",
            gettext("This enterprise has been deactivated."),
            code="enterprise_inactive",
        )
    if pool == PoolKind.SCALE_UP and track:
        raise DomainError.for_field("track", str(TRACK_SRDI_ONLY), code="track_srdi_only")
    _check_year(admission_year)
    if PoolEntry.objects.filter(
        enterprise=locked, pool=pool, status=PoolEntryStatus.ACTIVE
    ).exists():
        raise _already_in_pool()
    entry = PoolEntry(
        enterprise=locked,
        pool=pool,
        tier=tier,
        track=track,
        admission_year=admission_year,
        admission_reason=(admission_reason or "").strip(),
        contact_officer=contact_officer,
        contact_officer_phone=contact_officer_phone,
        statistics_registered=statistics_registered,
        admitted_by=actor,
        **_category_fields(
            locked, pool=pool, category=category, override_reason=category_override_reason,
            year=admission_year, statistics_registered=statistics_registered,
        ),
    )
    entry.full_clean(validate_constraints=False)
    with pghistory.context(user=actor.pk):
        _insert(entry)
        workflow.record(
            POOL_ENTRY_WORKFLOW, entry, verb=PoolEntryVerb.ADMIT, actor=actor,
            reason=entry.admission_reason,
        )
    if not PoolEntry.objects.visible_to(actor).filter(pk=entry.pk).exists():
        raise OutOfScope()
    return entry


def _already_in_pool():
    return DomainError.for_field(
        "pool",
        gettext("The enterprise already has an active entry in this pool."),
        code="already_in_pool",
    )


def _insert(entry):
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # Another request admitted the same firm between the check and the insert.
        if "one_active_per_pool" in str(exc):
            raise _already_in_pool() from exc
        raise


@transaction.atomic
def pool_entry_promote(*, actor: User, entry: PoolEntry, reason: str) -> PoolEntry:
    """Move an active entry up one tier; only staff of that next tier may.

    City staff promote county-tier entries of their prefecture; provincial reviewers promote
    city-tier entries. The entry is closed as promoted and a new active entry opens at the next
    tier with ``promoted_from`` set, the same pool, track, category and contact officer, the
    current year as admission year and the reason as admission reason. Promoting an entry
    that was already promoted returns the entry it was promoted to.
    """
    _check_writer(actor)
    locked = workflow.lock(POOL_ENTRY_WORKFLOW, actor, entry)
    next_tier = NEXT_TIER.get(locked.tier)
    if next_tier is None:
        raise InvalidTransition(
            _("The province tier is the highest; there is no tier to move to.")
        )
    if not actor.is_superuser and ROLE_TIER[actor.role] != next_tier:
        raise PermissionDenied(
            _("Promotion is decided by staff of the next tier.")
        )
    if locked.status == PoolEntryStatus.PROMOTED:
        # A repeated request (double submit, retry) gets the entry it already opened.
        return PoolEntry.objects.get(promoted_from=locked)
    if PoolEntryVerb.PROMOTE not in POOL_ENTRY_TRANSITIONS[locked.status]:
        raise POOL_ENTRY_WORKFLOW.refusal(locked, PoolEntryVerb.PROMOTE)
    reason = _reason_required(reason)
    _close(actor, locked, PoolEntryVerb.PROMOTE, reason)
    promoted = PoolEntry(
        tier=next_tier,
        promoted_from=locked,
        admission_year=max(timezone.localdate().year, locked.admission_year),
        admission_reason=reason,
        admitted_by=actor,
        **{name: getattr(locked, name) for name in CARRIED_ON_PROMOTION},
    )
    promoted.full_clean(validate_constraints=False)
    with pghistory.context(user=actor.pk):
        _insert(promoted)
        workflow.record(
            POOL_ENTRY_WORKFLOW, promoted, verb=PoolEntryVerb.ADMIT, actor=actor, reason=reason
        )
    return promoted


@transaction.atomic
def pool_entry_graduate(*, actor: User, entry: PoolEntry, reason: str) -> PoolEntry:
    """Close an active entry as graduated (the firm reached its goal); reason required.

    Staff at the entry's tier or above in whose region it lies may; a repeated call changes
    nothing. Writes the transition row with the reason.
    """
    return _close_with_reason(actor, entry, PoolEntryVerb.GRADUATE, reason)


@transaction.atomic
def pool_entry_remove(*, actor: User, entry: PoolEntry, reason: str) -> PoolEntry:
    """Take an active entry out of the pool (出库); reason required.

    Staff at the entry's tier or above in whose region it lies may; a repeated call changes
    nothing. Writes the transition row with the reason.
    """
    return _close_with_reason(actor, entry, PoolEntryVerb.REMOVE, reason)


def _close_with_reason(actor, entry, verb, reason):
    _check_writer(actor)
    locked = workflow.lock(POOL_ENTRY_WORKFLOW, actor, entry)
    _check_tier_or_above(actor, locked)
    # A repeated request (double submit, retry) changes and records nothing.
    if locked.status != POOL_ENTRY_TRANSITIONS[PoolEntryStatus.ACTIVE][verb]:
        _close(actor, locked, verb, _reason_required(reason))
    return locked


@transaction.atomic
def pool_entry_update(*, actor: User, entry: PoolEntry, **fields: Any) -> PoolEntry:
    """Change the contact officer, track or statistics registration of an active entry.

    Staff at the entry's tier or above in whose region it lies may. Unchanged values write
    nothing; changes are kept by the history triggers with the actor.
    """
    unknown = set(fields) - set(POOL_ENTRY_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    _check_writer(actor)
    locked = workflow.lock(POOL_ENTRY_WORKFLOW, actor, entry)
    _check_tier_or_above(actor, locked)
    _check_active(locked)
    if locked.pool == PoolKind.SCALE_UP and fields.get("track"):
        raise DomainError.for_field("track", str(TRACK_SRDI_ONLY), code="track_srdi_only")
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, fields[name])
    locked.full_clean(validate_constraints=False)
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


@transaction.atomic
def pool_entry_set_category(
    *, actor: User, entry: PoolEntry, category: str, reason: str = ""
) -> PoolEntry:
    """Set the 保/增/长/返/补 category of an active 规下转规上 entry.

    The suggestion is recomputed from the figures of the current year and stored with the
    category; a category other than it needs a reason, which is kept as the override reason.
    Staff at the entry's tier or above in whose region it lies may. Nothing is written when
    category, suggestion and reason are all unchanged; changes are kept by the history
    triggers with the actor.
    """
    _check_writer(actor)
    locked = workflow.lock(POOL_ENTRY_WORKFLOW, actor, entry)
    _check_tier_or_above(actor, locked)
    _check_active(locked)
    if locked.pool != PoolKind.SCALE_UP:
        raise DomainError.for_field(
            "category", str(CATEGORY_SCALE_UP_ONLY), code="category_scale_up_only"
        )
    values = _category_fields(
        locked.enterprise, pool=locked.pool, category=category, override_reason=reason,
        year=timezone.localdate().year, statistics_registered=locked.statistics_registered,
    )
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked.full_clean(validate_constraints=False)
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


def _lock_for_notes(actor, entry):
    """Plans and visits are kept by county, city and provincial staff who see the entry."""
    _check_writer(actor)
    return workflow.lock(POOL_ENTRY_WORKFLOW, actor, entry)


@transaction.atomic
def cultivation_plan_save(
    *,
    actor: User,
    entry: PoolEntry,
    measures: str,
    goals: str,
    responsible_official: str,
    review_on: datetime.date | None,
    plan: CultivationPlan | None = None,
) -> CultivationPlan:
    """Write the one-firm-one-plan (一企一策) of an active entry: a new plan, or ``plan`` edited.

    County, city and provincial staff who see the entry may. Saving a plan unchanged writes
    nothing.
    """
    locked = _lock_for_notes(actor, entry)
    _check_active(locked)
    values = {
        "measures": (measures or "").strip(),
        "goals": (goals or "").strip(),
        "responsible_official": (responsible_official or "").strip(),
        "review_on": review_on,
    }
    if plan is None:
        plan = CultivationPlan(entry=locked, created_by=actor, **values)
    else:
        plan = CultivationPlan.objects.select_for_update().filter(
            pk=plan.pk, entry=locked
        ).first()
        if plan is None:
            raise OutOfScope()
        if all(getattr(plan, name) == value for name, value in values.items()):
            return plan
        for name, value in values.items():
            setattr(plan, name, value)
    plan.full_clean()
    with pghistory.context(user=actor.pk):
        plan.save()
    return plan


def _check_visit_date(visited_on):
    if visited_on is not None and visited_on > timezone.localdate():
        raise DomainError.for_field(
            "visited_on",
            gettext("The visit date cannot be in the future."),
            code="visit_in_future",
        )


@transaction.atomic
def service_visit_record(
    *,
    actor: User,
    entry: PoolEntry,
    visited_on: datetime.date,
    officer: str,
    problems: str,
    actions: str = "",
    status: str = VisitStatus.OPEN,
) -> ServiceVisit:
    """Log a service visit (服务走访) to the firm of an active entry.

    County, city and provincial staff who see the entry may. The same visit submitted twice
    (same entry, date, officer and problems) is recorded once.
    """
    locked = _lock_for_notes(actor, entry)
    _check_active(locked)
    _check_visit_date(visited_on)
    values = {
        "visited_on": visited_on,
        "officer": (officer or "").strip(),
        "problems": (problems or "").strip(),
        "actions": (actions or "").strip(),
        "status": status,
    }
    existing = ServiceVisit.objects.filter(
        entry=locked, visited_on=visited_on, officer=values["officer"],
        problems=values["problems"],
    ).first()
    if existing is not None:
        return existing
    visit = ServiceVisit(entry=locked, created_by=actor, **values)
    visit.full_clean()
    with pghistory.context(user=actor.pk):
        visit.save()
    return visit


@transaction.atomic
def service_visit_update(*, actor: User, visit: ServiceVisit, **fields: Any) -> ServiceVisit:
    """Change a logged visit, e.g. its actions and status once a problem is solved.

    Allowed whatever became of the entry since, so an outcome can still be recorded after a
    promotion; county, city and provincial staff who see the entry may. Unchanged values
    write nothing.
    """
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    _check_writer(actor)
    locked = (
        ServiceVisit.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=visit.pk)
        .first()
    )
    if locked is None:
        raise OutOfScope()
    _check_visit_date(fields.get("visited_on"))
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        value = fields[name]
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


def pool_admit_tiers(actor: User) -> list[PoolTier]:
    """The tiers the actor may admit at, lowest first."""
    tiers = set(PoolTier.values) if actor.is_superuser else ADMIT_TIERS.get(actor.role, set())
    return [tier for tier in PoolTier if tier in tiers]


def pool_entry_actions(actor: User, entry: PoolEntry) -> frozenset[str]:
    """Which of promote, graduate, remove, edit and notes the actor may do to ``entry``.

    The entry must already be in the actor's scope; the services check again on each call.
    """
    if not actor.has_role(*POOL_WRITER_ROLES):
        return frozenset()
    actions = set()
    active = entry.status == PoolEntryStatus.ACTIVE
    if active:
        actions.add("notes")
        next_tier = NEXT_TIER.get(entry.tier)
        if next_tier and (actor.is_superuser or ROLE_TIER[actor.role] == next_tier):
            actions.add("promote")
        if _tier_rank(actor) >= TIER_RANK[entry.tier]:
            actions.update({"graduate", "remove", "edit"})
    actions.add("visit_update")
    return frozenset(actions)
