import pytest

from tests.factories.subsidies import finance_officer


@pytest.fixture
def finance(db):
    """The maker: a provincial finance officer."""
    return finance_officer("finance")


@pytest.fixture
def finance2(db):
    """A second finance officer, the approver."""
    return finance_officer("finance2")
