"""The demo leaves something waiting for every demo account that can act, and its home page
and menu badge count the same items as ``GET /api/v1/tasks/``."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

ACTING = ("expert1", "finance", "finance2", "chengguan", "lanzhou", "province")


def test_every_demo_account_that_can_act_has_something_waiting(client):
    call_command("load_demo", stdout=StringIO())

    for username in ACTING:
        client.force_login(User.objects.get(username=username))
        tasks = client.get(reverse("api-tasks")).json()
        page = client.get(reverse("home")).text
        badge = re.search(r'id="nav-tasks"[^>]*>[^<]*<span class="nav-count">(\d+)</span>', page)
        listed = re.search(r'class="inbox-count" data-count="(\d+)"', page)

        assert len(tasks) >= 1, username
        assert int(badge.group(1)) == int(listed.group(1)) == len(tasks), username
