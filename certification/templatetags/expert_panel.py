"""What the expert panel adds to application pages: the province's draw and decision links."""

from django import template

from accounts.choices import Role
from certification.choices import ApplicationStatus
from certification.policies import can_manage_experts

register = template.Library()

# Statuses in which the province draws (the panel, or replacements for recusals) and decides
# (rejecting an accepted application needs no panel).
PANEL_STATUSES = frozenset(
    {ApplicationStatus.PROVINCE_ACCEPTED, ApplicationStatus.UNDER_EXPERT_REVIEW}
)


@register.simple_tag
def panel_actions(user, application):
    """The panel links ``user`` may follow on ``application``: a subset of {"draw", "decide"}."""
    if not can_manage_experts(user):
        return set()
    return {"draw", "decide"} if application.status in PANEL_STATUSES else set()


@register.filter
def manages_experts(user):
    return can_manage_experts(user)


@register.filter
def scores_sheets(user):
    """Experts get the link to their score sheets in the menu."""
    return user.role == Role.EXPERT
