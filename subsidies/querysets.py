"""Row scoping of subsidy data, through the one rule of gansu_sme.querysets.

Money decisions are provincial: budgets and payment batches are seen by province-bound accounts
only. Allocations, entitlements, city rewards and projects carry a region, so a city reads its
own and its counties' rows and nothing else.
"""

from accounts.choices import Role
from gansu_sme.querysets import ScopedQuerySet


def sees_province(user):
    """Province-bound accounts (finance officers, provincial reviewers, auditors) see all money."""
    if user is None or not user.is_authenticated or not user.is_active or user.is_expired:
        return False
    return user.is_superuser or (user.scope_path is not None and "/" not in user.scope_path)


class ProvinceOnlyQuerySet(ScopedQuerySet):
    """Rows with no region of their own, all within the province and nothing below it."""

    def within(self, path):
        return self if "/" not in path else self.none()


class AllocationQuerySet(ScopedQuerySet):
    region_path_lookup = "city__path"


class EntitlementQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"


class ProjectQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"


class CityRewardQuerySet(ScopedQuerySet):
    region_path_lookup = "city__path"


class BatchItemQuerySet(ScopedQuerySet):
    region_path_lookup = "entitlement__region__path"


class ReceivingAccountQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"


def sees_account_numbers(user):
    """Whether ``user`` reads receiving account numbers in full: finance officers only (and
    administrators); everyone else sees them masked."""
    return bool(user and user.is_authenticated and (
        user.is_superuser or user.role == Role.FINANCE_OFFICER
    ))
