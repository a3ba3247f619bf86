"""The enterprise page's pool section, so that page needs no pool code of its own."""

from django import template

from registry import selectors, services

register = template.Library()


@register.inclusion_tag("registry/pool/enterprise_entries.html", takes_context=True)
def enterprise_pool_entries(context, enterprise):
    """The enterprise's entries in every pool the viewer may see, and the admission button."""
    user = context["request"].user
    return {
        "enterprise": enterprise,
        "entries": list(selectors.pool_entries_of_enterprise(user=user, enterprise=enterprise)),
        "can_admit": enterprise.is_active and bool(services.pool_admit_tiers(user)),
    }
