"""Financing fragments shown on other apps' pages, scoped to the viewer."""

from django import template

from financing import selectors, services

register = template.Library()


@register.inclusion_tag("financing/partials/enterprise_financing.html", takes_context=True)
def enterprise_financing(context, enterprise):
    """The needs of ``enterprise`` the signed-in user sees, each with its outcomes."""
    request = context["request"]
    return {
        "enterprise": enterprise,
        "needs": list(selectors.enterprise_needs(user=request.user, enterprise=enterprise)),
        "can_file": services.may_file(request.user) and enterprise.is_active,
        "request": request,
    }
