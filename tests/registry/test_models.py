import pytest
from django.core.exceptions import ValidationError

from tests.factories.registry import EnterpriseFactory, region


@pytest.mark.parametrize(
    ("code", "holds"),
    [
        ("620102", True),  # a county
        ("620200", True),  # 嘉峪关: a city without counties
        ("LZXQ", True),  # 兰州新区: likewise
        ("620100", False),  # 兰州: its counties hold the enterprises
        ("620000", False),  # the province
    ],
)
@pytest.mark.django_db
def test_only_counties_and_county_less_prefecture_units_hold_enterprises(code, holds):
    assert region(code).can_hold_enterprises is holds


@pytest.mark.django_db
def test_full_clean_names_the_failed_credit_code_check():
    enterprise = EnterpriseFactory.build(uscc="91620105MA71T4YW8P")

    with pytest.raises(ValidationError) as err:
        enterprise.full_clean()

    (error,) = err.value.error_dict["uscc"]
    assert error.code == "uscc_check_digit"
    assert "第18位应为 Q" in error.messages[0]


@pytest.mark.django_db
def test_enterprise_and_region_read_as_their_names():
    enterprise = EnterpriseFactory.build(name="天水华新电子科技有限公司", region=region("620502"))

    assert str(enterprise) == "天水华新电子科技有限公司"
    assert str(enterprise.region) == "秦州区"
