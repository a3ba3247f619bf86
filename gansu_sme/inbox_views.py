"""The 我的待办 page: the whole list the menu badge counts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gansu_sme.inbox import inbox_items


@login_required
def inbox_page(request):
    return render(request, "inbox.html", {"inbox": inbox_items(request.user)})
