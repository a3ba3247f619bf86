"""State-changing use cases of the enterprise registry."""

from typing import Any

import pghistory
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from gansu_sme import events
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry import uscc
from registry.models import Enterprise, Region
from registry.services.figures import region_figures_touch_enterprise

# A taken credit code, in or out of the actor's region: one message (enterprise_code_check).
CODE_TAKEN = _(
    "This credit code cannot be registered. If the firm is not in your list, the provincial"
    " department has been told and will look into it."
)

ENTERPRISE_EDITOR_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})

# Fields a registration or an edit may set; the credit code is fixed once registered because
# outside systems key their records by it.
ENTERPRISE_FIELDS = (
    "name",
    "legal_representative",
    "founded_on",
    "region",
    "industry",
    "industry_class",
    "main_products",
    "niche_market",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


# Where and how an enterprise's reports count in the kept region figures.
FIGURE_FIELDS = ("region_id", "industry_id", "founded_on", "is_active")


def _check_editor(actor):
    if not actor.has_role(*ENTERPRISE_EDITOR_ROLES):
        raise PermissionDenied()


def _check_region(actor, region):
    if region is None:
        return
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise DomainError.for_field(
            "region", gettext("This region is outside your jurisdiction."), code="out_of_scope"
        )
    if not region.can_hold_enterprises:
        raise DomainError.for_field(
            "region",
            gettext("Choose a county, or a prefecture unit that has no counties."),
            code="region_holds_no_enterprises",
        )


def _industry_from_class(fields):
    """A chosen class (小类) names its division: given without one, the division follows it."""
    industry_class = fields.get("industry_class")
    if industry_class is not None and fields.get("industry") is None:
        fields["industry"] = industry_class.division


def _save_in_scope(actor, enterprise):
    enterprise.full_clean()
    enterprise.save()
    # Re-check inside the transaction that the saved row is still the actor's to keep.
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise OutOfScope()
    return enterprise


def enterprise_code_check(*, actor: User, uscc_code: str) -> None:
    """Refuse a credit code that is already registered, with one answer wherever its firm is.

    The answer (field ``uscc``, code ``uscc_taken``, one message) is the same whether the firm
    lies in the actor's region or in another, so a refusal tells nobody where, or that, a firm
    outside their region is registered any more than a refusal of their own firm would. When
    the firm is outside the actor's scope, its own region's officials and the province are told
    who tried (``events.credit_code_claimed``, sent although the refusal is rolled back).
    """
    holder = Enterprise.objects.filter(uscc=uscc.normalize(uscc_code)).only("pk").first()
    if holder is None:
        return
    if not Enterprise.objects.visible_to(actor).filter(pk=holder.pk).exists():
        events.announce_refusal(
            events.credit_code_claimed, enterprise_id=holder.pk, actor_id=actor.pk
        )
    raise DomainError.for_field("uscc", CODE_TAKEN, code="uscc_taken")


@transaction.atomic
def enterprise_register(*, actor: User, uscc_code: str, **fields: Any) -> Enterprise:
    """Register an enterprise in a county (or county-less prefecture unit) of the actor's region.

    Only county and city staff register enterprises. The credit code is normalised to upper case
    and must pass its check character; a code already registered is refused, with the same
    answer wherever its firm is (``enterprise_code_check``). The change is recorded in the
    enterprise's history with the actor.
    """
    _check_editor(actor)
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    _check_region(actor, fields.get("region"))
    _industry_from_class(fields)
    code = uscc.normalize(uscc_code)
    enterprise_code_check(actor=actor, uscc_code=code)
    enterprise = Enterprise(uscc=code, created_by=actor, **fields)
    with pghistory.context(user=actor.pk):
        return _save_in_scope(actor, enterprise)


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Change an enterprise's record; the actor must be county or city staff over its region.

    Moving an enterprise to another region requires that region to be in the actor's scope too.
    A class (小类) given without a division sets the division; one outside the division given
    is refused (Enterprise.clean).
    Every changed field is kept in the history with the actor and request.
    """
    _check_editor(actor)
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    locked = (
        Enterprise.objects.visible_to(actor).select_for_update().filter(pk=enterprise.pk).first()
    )
    if locked is None:
        raise OutOfScope()
    if "region" in fields and fields["region"] != locked.region:
        _check_region(actor, fields["region"])
    _industry_from_class(fields)
    before = {name: getattr(locked, name) for name in FIGURE_FIELDS}
    for name, value in fields.items():
        setattr(locked, name, value)
    if any(getattr(locked, name) != value for name, value in before.items()):
        region_figures_touch_enterprise(enterprise=locked, region_ids=[before["region_id"]])
    with pghistory.context(user=actor.pk):
        return _save_in_scope(actor, locked)


@transaction.atomic
def enterprise_deactivate(*, actor: User, enterprise: Enterprise, reason: str) -> Enterprise:
    """Mark an enterprise inactive (it is never deleted); the reason is kept in its history.

    Deactivating an enterprise that is already inactive changes and records nothing.
    """
    _check_editor(actor)
    if not (reason or "").strip():
        raise DomainError.for_field("reason", gettext("Give a reason."), code="reason_required")
    locked = (
        Enterprise.objects.visible_to(actor).select_for_update().filter(pk=enterprise.pk).first()
    )
    if locked is None:
        raise OutOfScope()
    if not locked.is_active:
        # A repeated request (double submit, retry) must not record a second deactivation.
        return locked
    locked.is_active = False
    with pghistory.context(user=actor.pk, reason=reason.strip()):
        locked.save(update_fields=["is_active", "updated_at"])
    region_figures_touch_enterprise(enterprise=locked)
    return locked
