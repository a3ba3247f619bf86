"""make loadtest as a test: officials and API clients at once, no error and no double effect."""

import json
from io import StringIO

import pytest
from django.conf import global_settings
from django.core.management import call_command


@pytest.mark.hardening
@pytest.mark.django_db(transaction=True)
def test_officials_and_api_clients_at_once_meet_no_error_and_no_double_effect(
    reference_data, tmp_path, settings
):
    # The server runs in processes of its own with the production hasher: the demo accounts
    # must be hashed with it, not with the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    call_command("load_demo", stdout=StringIO())

    # The command itself fails on a failed request or a broken exactly-once check; the figures
    # are read back to show it measured something.
    call_command("loadtest", users=11, seconds=45, workers=2, output=str(tmp_path),
                 stdout=StringIO())

    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["requests"] > 0
    assert figures["failures"] == 0
    assert figures["exactly_once"] == {
        "reports_filed_twice": 0, "awards_moved_twice": 0, "firms_awarded_twice": 0
    }
