from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports.dashboard import dashboard_context


@login_required
def home(request):
    """The landing page: the official's account, the links their role uses, and the dashboard
    of their region (funnel, targets, monthly trend, what waits for them).

    Registry pages and the dashboard's figures serve accounts that see a region; experts see
    none and get only what waits for them.
    """
    return render(request, "accounts/home.html", dashboard_context(request.user))
