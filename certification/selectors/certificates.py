"""Reads of certificates and national recommendations."""

from django.db.models import QuerySet

from accounts.models import User
from certification.models import Application, Certificate, NationalRecommendation
from gansu_sme.exceptions import OutOfScope
from registry.models import Enterprise


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    """Certificates of firms in the user's region, with what the list and API show."""
    return Certificate.objects.visible_to(user).select_related(
        "enterprise__region__parent", "enterprise__industry", "application__campaign", "revoked_by"
    )


def certificate_get(*, user: User, pk: int) -> Certificate:
    certificate = certificate_list(user=user).filter(pk=pk).first()
    if certificate is None:
        raise OutOfScope()
    return certificate


def certificate_public_list() -> QuerySet[Certificate]:
    """What anyone may list: valid certificates only."""
    return Certificate.objects.public().select_related("enterprise")


def certificate_verify(*, number: str | None) -> Certificate:
    """The certificate with this number, whatever its status; OutOfScope when none has it."""
    certificate = (
        Certificate.objects.select_related("enterprise")
        .filter(number=(number or "").strip().upper())
        .first()
    )
    if certificate is None:
        raise OutOfScope()
    return certificate


def recommendation_list(*, user: User) -> QuerySet[NationalRecommendation]:
    """Recommendations of firms the user sees, with what the list pages and the API show."""
    return NationalRecommendation.objects.filter(
        application__in=Application.objects.visible_to(user)
    ).select_related(
        "enterprise__region__parent", "application__campaign", "certificate",
        "recommended_by", "outcome_recorded_by",
    )


def recommendation_get(*, user: User, pk: int) -> NationalRecommendation:
    recommendation = recommendation_list(user=user).filter(pk=pk).first()
    if recommendation is None:
        raise OutOfScope()
    return recommendation


def enterprise_certificates(*, user: User, enterprise: Enterprise) -> QuerySet[Certificate]:
    """The firm's certificates the user may see, the latest first, for its page."""
    return certificate_list(user=user).filter(enterprise=enterprise).order_by("-issued_on")
