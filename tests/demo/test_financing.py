"""The financing demo data: needs in every state, one event with outcomes, rated firms, and a
bank account that reads the shared needs."""

import pytest

from demo.certification import demo_certification_load
from demo.financing import EVENT_TITLE, demo_financing_load
from demo.monitoring import demo_monitoring_load
from demo.registry import demo_data_load
from financing import selectors
from financing.choices import NeedStatus, OutcomeStatus
from financing.models import CreditRating, FinancingNeed, MatchingEvent, MatchOutcome


@pytest.mark.django_db
def test_the_demo_has_needs_in_every_state_and_loads_once(django_user_model):
    demo_data_load()
    demo_monitoring_load()
    demo_certification_load()
    assert not demo_financing_load().unchanged

    assert set(FinancingNeed.objects.values_list("status", flat=True)) == set(NeedStatus)
    event = MatchingEvent.objects.get(title=EVENT_TITLE)
    assert set(event.outcomes.values_list("status", flat=True)) == set(OutcomeStatus)
    granted = MatchOutcome.objects.get(status=OutcomeStatus.GRANTED)
    assert granted.need.status == NeedStatus.MET
    assert CreditRating.objects.count() == 3

    bank = django_user_model.objects.get(username="bank1")
    shared = selectors.need_list(user=bank)
    assert shared.exists()
    assert not shared.filter(agreed_to_share=False).exists()

    assert demo_financing_load().unchanged
    assert FinancingNeed.objects.count() == 7
