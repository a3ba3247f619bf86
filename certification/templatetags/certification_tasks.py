"""The navigation's "My tasks (n)" count and the campaign link, without view code of its own."""

from django import template

from certification.selectors import waiting_count
from certification.services.campaigns import can_edit_campaigns

register = template.Library()


@register.filter
def tasks_waiting(user):
    """How many applications wait for ``user``'s office; one query."""
    return waiting_count(user)


@register.filter
def can_manage_campaigns(user):
    return can_edit_campaigns(user)
