"""The navigation's campaign link, without view code of its own."""

from django import template

from certification.services.campaigns import can_edit_campaigns

register = template.Library()


@register.filter
def can_manage_campaigns(user):
    return can_edit_campaigns(user)
