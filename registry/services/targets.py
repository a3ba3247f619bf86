"""Yearly targets (目标任务): set by the province for itself and its cities, by a city for its
counties."""

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from accounts.choices import Role
from accounts.models import User
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry.choices import RegionLevel
from registry.models import Region, Target

TARGET_SETTER_ROLES = frozenset({Role.PROVINCIAL_REVIEWER, Role.CITY_STAFF})
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def target_regions(actor: User) -> QuerySet[Region]:
    """The regions the actor sets targets for: the province and its prefecture units for
    provincial reviewers, the counties of their prefecture for city staff."""
    if actor.is_superuser:
        return Region.objects.filter(level__in=(RegionLevel.PROVINCE, RegionLevel.PREFECTURE))
    if actor.role == Role.PROVINCIAL_REVIEWER and actor.region_id:
        return Region.objects.filter(Q(pk=actor.region_id) | Q(parent_id=actor.region_id))
    if actor.role == Role.CITY_STAFF and actor.region_id:
        return Region.objects.filter(parent_id=actor.region_id)
    return Region.objects.none()


@transaction.atomic
def target_set(
    *, actor: User, year: int, region: Region, metric: str, value: int, note: str = ""
) -> tuple[Target, bool]:
    """Set (or change) the target for one year, region and metric.

    Provincial reviewers set targets for the province and each prefecture unit; city staff for
    the counties of their prefecture. One target per year, region and metric: setting it again
    replaces value and note, and setting the same value and note writes nothing. Changes are
    kept by the history triggers with the actor. Returns ``(target, created)``, as
    ``get_or_create`` does, so a caller can tell a new target from a changed one.
    """
    if not actor.has_role(*TARGET_SETTER_ROLES):
        raise PermissionDenied()
    if not target_regions(actor).filter(pk=region.pk).exists():
        raise DomainError.for_field(
            "region",
            gettext(
                "You cannot set targets for this region: the province sets them for itself and"
                " its cities, a city for its counties."
            ),
            code="region_not_targeted_by_you",
        )
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DomainError.for_field(
            "year",
            gettext("The year must lie between %(low)s and %(high)s.")
            % {"low": EARLIEST_YEAR, "high": LATEST_YEAR},
            code="invalid_year",
        )
    note = (note or "").strip()
    key = {"year": year, "region": region, "metric": metric}
    with pghistory.context(user=actor.pk):
        target = Target.objects.select_for_update().filter(**key).first()
        if target is None:
            target = Target(value=value, note=note, set_by=actor, **key)
            target.full_clean(validate_constraints=False, validate_unique=False)
            try:
                with transaction.atomic():
                    target.save()
                return target, True
            except IntegrityError:
                # Another request created it between the lookup and the insert; update that one.
                target = Target.objects.select_for_update().get(**key)
        if (target.value, target.note) == (value, note):
            return target, False
        target.value, target.note, target.set_by = value, note, actor
        target.full_clean(validate_constraints=False, validate_unique=False)
        target.save(update_fields=["value", "note", "set_by", "updated_at"])
    return target, False
