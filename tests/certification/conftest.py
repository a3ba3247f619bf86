import pytest

from tests.factories.certification import seeded_rules


@pytest.fixture(scope="session")
def zjtx():
    return seeded_rules("zjtx")


@pytest.fixture(scope="session")
def innovative():
    return seeded_rules("innovative")


@pytest.fixture(scope="session")
def little_giant():
    return seeded_rules("little_giant")
