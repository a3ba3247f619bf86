"""Credit cultivation (信用培育, the 2018 plan's §二(六)14): the province admits firms to the
provincial credit-cultivation list and records the star ratings (信用星级) rating bodies give
them by year."""

import datetime

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from financing.choices import CREDIT_WRITER_ROLES, CreditStars
from financing.models import CreditCultivation, CreditRating
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import Enterprise

from .common import check_not_future

EARLIEST_YEAR = 2000


def may_keep_credit_list(actor: User) -> bool:
    return actor.has_role(*CREDIT_WRITER_ROLES) and not actor.is_read_only


def _visible_enterprise(actor: User, enterprise: Enterprise) -> Enterprise:
    if not may_keep_credit_list(actor):
        raise PermissionDenied()
    row = Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).first()
    if row is None:
        raise OutOfScope()
    return row


@transaction.atomic
def credit_admit(
    *, actor: User, enterprise: Enterprise, admitted_on: datetime.date, note: str = ""
) -> CreditCultivation:
    """Admit a firm of the actor's region to the credit-cultivation list (once per firm)."""
    firm = _visible_enterprise(actor, enterprise)
    check_not_future(admitted_on, "admitted_on")
    if CreditCultivation.objects.filter(enterprise=firm).exists():
        raise DomainError.for_field(
            "enterprise", gettext("The enterprise is already on the credit-cultivation list."),
            code="already_cultivated",
        )
    row = CreditCultivation(enterprise=firm, admitted_on=admitted_on,
                            note=(note or "").strip(), admitted_by=actor)
    row.full_clean()
    with pghistory.context(user=actor.pk):
        row.save()
    return row


@transaction.atomic
def credit_rating_record(
    *, actor: User, enterprise: Enterprise, year: int, stars: int, rating_body: str
) -> CreditRating:
    """Record the star rating a rating body gave a firm for a year (one per firm and year)."""
    firm = _visible_enterprise(actor, enterprise)
    if not EARLIEST_YEAR <= year <= timezone.localdate().year:
        raise DomainError.for_field("year", gettext("The year is out of range."),
                                    code="invalid_year")
    if stars not in CreditStars.values:
        raise DomainError.for_field("stars", gettext("A rating has one to five stars."),
                                    code="invalid_stars")
    if not (rating_body or "").strip():
        raise DomainError.for_field("rating_body", gettext("Name the rating body."),
                                    code="rating_body_required")
    if CreditRating.objects.filter(enterprise=firm, year=year).exists():
        raise DomainError.for_field(
            "year", gettext("The enterprise already has a rating for this year."),
            code="rating_exists",
        )
    row = CreditRating(enterprise=firm, year=year, stars=stars,
                       rating_body=rating_body.strip(), recorded_by=actor)
    row.full_clean()
    with pghistory.context(user=actor.pk):
        row.save()
    return row
