"""Read paths of campaigns (申报批次)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from certification.models import Campaign
from gansu_sme.exceptions import OutOfScope


def can_read_campaigns(user: User) -> bool:
    # Campaigns are province-wide announcements: every account bound to a region reads them;
    # a regionless account (an expert) has no use for them.
    return user.is_authenticated and user.sees_regions


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Campaigns the user may read, with the rule set loaded and the quotas counted."""
    if not can_read_campaigns(user):
        return Campaign.objects.none()
    return Campaign.objects.select_related("ruleset").annotate(quota_count=Count("quotas"))


def campaign_get(*, user: User, pk: int) -> Campaign:
    campaign = (
        campaign_list(user=user).select_related("created_by").filter(pk=pk).first()
    )
    if campaign is None:
        raise OutOfScope()
    return campaign


def campaigns_open_for_filing(
    *, user: User, on: datetime.date | None = None
) -> QuerySet[Campaign]:
    """Campaigns whose filing window contains ``on`` (today by default)."""
    on = on or timezone.localdate()
    return campaign_list(user=user).filter(Q(opens_on__lte=on) & Q(closes_on__gte=on))
