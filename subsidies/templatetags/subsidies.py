"""Subsidy fragments shown on other apps' pages, scoped to the viewer."""

from django import template

from subsidies import selectors

register = template.Library()


@register.inclusion_tag("subsidies/partials/enterprise_awards.html", takes_context=True)
def enterprise_awards(context, enterprise):
    """The awards of ``enterprise`` that the signed-in user may see (none: nothing shown)."""
    user = context["request"].user
    return {"awards": list(selectors.enterprise_awards(user=user, enterprise=enterprise))}
