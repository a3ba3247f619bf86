import pytest

from accounts.choices import Role
from tests.factories.accounts import UserFactory
from tests.factories.financing import institution, need


@pytest.fixture
def bank_user(db):
    """Staff of a provincial bank branch: reads needs firms shared, anywhere in the province."""
    user = UserFactory(username="bank1", role=Role.INSTITUTION_STAFF, region=None)
    institution(staff=[user])
    return user


@pytest.fixture
def local_bank_user(db):
    """Staff of a 天水 branch: reads shared needs of 天水's firms only."""
    user = UserFactory(username="bank-tianshui", role=Role.INSTITUTION_STAFF, region=None)
    institution(name="甘肃银行", branch="天水分行", code="620500", staff=[user])
    return user


@pytest.fixture
def bank(bank_user):
    return bank_user.financial_institutions.get()


@pytest.fixture
def shared_need(county_user, enterprise):
    return need(county_user, enterprise)


@pytest.fixture
def private_need(county_user, enterprise):
    return need(county_user, enterprise, agreed_to_share=False, amount=200)
