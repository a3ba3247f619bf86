"""Subsidy fragments shown on other apps' pages, scoped to the viewer."""

from django import template

from subsidies import selectors
from subsidies.choices import AccountStatus
from subsidies.models import masked
from subsidies.querysets import sees_account_numbers
from subsidies.tables import EntitlementTable

register = template.Library()


@register.inclusion_tag("subsidies/partials/enterprise_awards.html", takes_context=True)
def enterprise_awards(context, enterprise):
    """The awards of ``enterprise`` that the signed-in user may see (none: nothing shown)."""
    request = context["request"]
    awards = list(selectors.enterprise_awards(user=request.user, enterprise=enterprise))
    account = selectors.account_list(user=request.user).filter(
        enterprise=enterprise, status=AccountStatus.CONFIRMED
    ).first()
    number = ""
    if account is not None:
        full = sees_account_numbers(request.user)
        number = account.account_number if full else masked(account.account_number)
    # The awards list's own columns, so both pages show an award alike.
    return {"awards": EntitlementTable(awards, request=request), "request": request,
            "account": account, "account_number": number}
