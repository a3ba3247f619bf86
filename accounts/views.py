from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The signed-in official's name, role and region, with links to the pages the role uses.

    Registry pages serve accounts that see a region; experts see none and get no link there.
    """
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {"can_read_registry": user.is_superuser or user.scope_path is not None},
    )
