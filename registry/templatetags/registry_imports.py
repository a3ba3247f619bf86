"""Template filters of the import wizard."""

from django import template

from registry.services import import_kinds_for

register = template.Library()


@register.filter
def can_import(user):
    """Whether the user's role keeps any kind of data that can be imported from Excel."""
    return user.is_authenticated and bool(import_kinds_for(user))
