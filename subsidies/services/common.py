"""What every subsidy service shares: who may decide money, and money itself."""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from accounts.choices import Role
from accounts.models import User
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry.choices import RegionLevel
from registry.models import Region

CENT = Decimal("0.01")
FINANCE_ROLES = frozenset({Role.FINANCE_OFFICER})
# Who puts a project forward (城市/县区工信部门); who vouches for it is in PROJECT_ACTS.
PROJECT_SUBMITTER_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})


def is_finance(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_role(*FINANCE_ROLES)


def check_finance(actor: User) -> None:
    if not is_finance(actor):
        raise PermissionDenied(_("Only provincial finance officers may do this."))


def refused(code: str, message: StrOrPromise, field: str | None = None) -> DomainError:
    """A domain refusal with its stable ``code``, shown on ``field`` of the form if given."""
    return DomainError(message, code=code, fields={field: [message]} if field else None)


def money(value: Decimal | int | str) -> Decimal:
    """A yuan amount with two decimals; raises on more precision rather than rounding it."""
    value = Decimal(value)
    if value != value.quantize(CENT):
        raise ValueError("amounts carry at most two decimals")
    return value.quantize(CENT)


def city_of(region: Region) -> Region:
    """The prefecture unit (市州, incl. 兰州新区) a region lies in."""
    # A county always lies in a prefecture unit.
    return region if region.level != RegionLevel.COUNTY else region.parent  # type: ignore[return-value]
