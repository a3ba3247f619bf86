import pytest

from accounts.choices import Role
from subsidies.choices import BatchStatus, EntitlementStatus
from subsidies.demo import demo_subsidies_load
from subsidies.models import Entitlement, PaymentBatch
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db


def test_the_demo_holds_awards_in_every_state_and_one_paid_batch(settings, province_user):
    settings.DEMO_PASSWORD = "demo-password"
    UserFactory(username="finance", role=Role.FINANCE_OFFICER, region=region("620000"))
    EnterpriseFactory.create_batch(8)
    assert not demo_subsidies_load().unchanged
    assert set(Entitlement.objects.values_list("status", flat=True)) == set(EntitlementStatus)
    assert PaymentBatch.objects.filter(status=BatchStatus.PAID).count() == 1
    assert demo_subsidies_load().unchanged
