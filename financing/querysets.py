"""Who sees financing rows: the region rule, and for institution staff what firms shared.

Staff of a financial institution have no region of their own (the registry's pages stay closed
to them); they see the needs of firms that agreed to show them to institutions, in the region
of an institution they work for, and the events their institution was invited to.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.choices import Role
from gansu_sme.querysets import ScopedQuerySet, region_path_q


def _is_institution_staff(user):
    return (
        getattr(user, "role", None) == Role.INSTITUTION_STAFF
        and user.is_active
        and not user.is_expired
        and not user.is_superuser
    )


def _institution_paths(user):
    from financing.models import FinancialInstitution

    return list(
        FinancialInstitution.objects.filter(staff=user, is_active=True)
        .values_list("region__path", flat=True)
    )


def _shared_q(user, prefix):
    paths = _institution_paths(user)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= region_path_q(f"{prefix}enterprise__region__path", path)
    return condition & Q(**{f"{prefix}agreed_to_share": True})


class InstitutionQuerySet(ScopedQuerySet):
    """Institutions are reference records: every account that sees a region sees them all,
    since a county files needs for any bank; institution staff see their own."""

    def visible_to(self, user):
        if _is_institution_staff(user):
            return self.filter(staff=user)
        if user is None or not user.is_authenticated or not user.is_active or user.is_expired:
            return self.none()
        if user.is_superuser or user.scope_path is not None:
            return self
        return self.none()


class NeedQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"

    def visible_to(self, user):
        if _is_institution_staff(user):
            return self.filter(_shared_q(user, ""))
        return super().visible_to(user)


class OutcomeQuerySet(ScopedQuerySet):
    region_path_lookup = "need__enterprise__region__path"

    def visible_to(self, user):
        if _is_institution_staff(user):
            return self.filter(_shared_q(user, "need__"))
        return super().visible_to(user)


class EventQuerySet(ScopedQuerySet):
    """An event is seen by the staff of its region and above, by staff who see one of its
    needs (a county sees the provincial event its firms went to), and by the staff of an
    institution invited to it."""

    region_path_lookup = "region__path"

    def visible_to(self, user):
        from financing.models import FinancialInstitution, MatchOutcome

        if _is_institution_staff(user):
            invited = FinancialInstitution.objects.filter(
                staff=user, matching_events=OuterRef("pk")
            )
            return self.filter(Exists(invited))
        own = super().visible_to(user)
        if user is None or not user.is_authenticated or user.is_superuser:
            return own
        has_visible_need = Exists(
            MatchOutcome.objects.visible_to(user).filter(event=OuterRef("pk"))
        )
        return self.filter(Q(pk__in=own.values("pk")) | has_visible_need)


class CreditQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"
