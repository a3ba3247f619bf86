"""Certification fragment of a firm's page (registry), scoped to the viewer."""

from django import template

from certification.selectors.applications import enterprise_applications
from certification.selectors.certificates import enterprise_certificates

register = template.Library()


@register.inclusion_tag("certification/partials/enterprise_certification.html", takes_context=True)
def enterprise_certification(context, enterprise):
    """The firm's applications with their outcomes and its certificates with their validity."""
    user = context["request"].user
    return {
        "applications": list(enterprise_applications(user=user, enterprise=enterprise)),
        "certificates": list(enterprise_certificates(user=user, enterprise=enterprise)),
    }
