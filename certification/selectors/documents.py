"""The rows of the documents officials file: a city's recommendations in a campaign, with the
city's opinion, and the firms a campaign certified."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from accounts.models import User
from certification.choices import ApplicationStatus, Verb
from certification.models import Application, ApplicationTransition, Campaign
from registry.models import Region

S = ApplicationStatus
# Where an application stands once its city has recommended it (and it was not withdrawn).
RECOMMENDED_STATUSES = (
    S.CITY_RECOMMENDED, S.PROVINCE_ACCEPTED, S.UNDER_EXPERT_REVIEW, S.APPROVED, S.REJECTED,
    S.PUBLIC_NOTICE, S.CERTIFIED, S.RECOMMENDED,
)


def _latest(verb, field):
    return Subquery(
        ApplicationTransition.objects.filter(application=OuterRef("pk"), verb=verb)
        .order_by("-at", "-id")
        .values(field)[:1]
    )


def city_recommendations(
    *, user: User, campaign: Campaign, region: Region
) -> QuerySet[Application]:
    """The applications of ``region`` (a prefecture unit) that its city recommended in
    ``campaign`` and that still stand, within what ``user`` sees, in the order recommended;
    each with ``opinion`` and ``recommended_at`` of the latest recommendation."""
    recommended = ApplicationTransition.objects.filter(
        application=OuterRef("pk"), verb=Verb.RECOMMEND
    )
    return (
        Application.objects.visible_to(user)
        .within(region.path)
        .filter(campaign=campaign, status__in=RECOMMENDED_STATUSES)
        .filter(Exists(recommended))
        .select_related("enterprise__region__parent", "enterprise__industry", "evaluation")
        .annotate(
            opinion=_latest(Verb.RECOMMEND, "reason"),
            recommended_at=_latest(Verb.RECOMMEND, "at"),
        )
        .order_by("recommended_at", "enterprise__name", "pk")
    )


def campaign_certified(
    *, user: User, campaign: Campaign, certified_on: datetime.date | None = None
) -> QuerySet[Application]:
    """The applications ``campaign`` certified (on ``certified_on``, when given), within what
    ``user`` sees, by region then name; each with ``certified_on`` (the day of the
    certification, Beijing time) and its certificate: the one issued (``certificate``) or, for
    a re-review, the one renewed (``renews``)."""
    day = Subquery(
        ApplicationTransition.objects.filter(application=OuterRef("pk"), verb=Verb.CERTIFY)
        .annotate(day=TruncDate("at"))
        .order_by("-at", "-id")
        .values("day")[:1]
    )
    rows = (
        Application.objects.visible_to(user)
        .filter(campaign=campaign, status=S.CERTIFIED)
        .select_related(
            "enterprise__region__parent", "enterprise__industry", "certificate", "renews"
        )
        .annotate(certified_on=day)
        .order_by("enterprise__region__path", "enterprise__name", "pk")
    )
    if certified_on is not None:
        rows = rows.filter(certified_on=certified_on)
    return rows


def certification_days(*, user: User, campaign: Campaign) -> list[datetime.date]:
    """The days on which ``campaign`` certified firms, latest first: the decision dates a
    certified list can be drawn up for."""
    rows = campaign_certified(user=user, campaign=campaign)
    # ``certified_on`` is campaign_certified's annotation, which the type checker cannot see.
    days = rows.values_list("certified_on", flat=True)  # type: ignore[misc]
    return sorted({day for day in days if day is not None}, reverse=True)
