"""The menu badge of 我的待办: one count per source, the same items the list shows."""

from django import template

from gansu_sme.inbox import inbox_count

register = template.Library()


@register.filter(name="inbox_count")
def inbox_count_filter(user):
    """How many things wait for ``user`` (gansu_sme.inbox)."""
    return inbox_count(user)
