"""Subsidy fragments shown on other apps' pages, scoped to the viewer."""

from django import template

from subsidies import selectors
from subsidies.tables import EntitlementTable

register = template.Library()


@register.inclusion_tag("subsidies/partials/enterprise_awards.html", takes_context=True)
def enterprise_awards(context, enterprise):
    """The awards of ``enterprise`` that the signed-in user may see (none: nothing shown)."""
    request = context["request"]
    awards = list(selectors.enterprise_awards(user=request.user, enterprise=enterprise))
    # The awards list's own columns, so both pages show an award alike.
    return {"awards": EntitlementTable(awards, request=request), "request": request}
