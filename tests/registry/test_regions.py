"""Reference data loaded by the data migration, and the constraints that guard it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from registry.models import Enterprise, Industry, Region
from tests.factories.registry import region

# Counties per prefecture unit, RULES.md §5.
COUNTIES_PER_PREFECTURE = {
    "兰州市": 8,
    "嘉峪关市": 0,
    "金昌市": 2,
    "白银市": 5,
    "天水市": 7,
    "武威市": 4,
    "张掖市": 6,
    "平凉市": 7,
    "酒泉市": 7,
    "庆阳市": 8,
    "定西市": 7,
    "陇南市": 9,
    "临夏回族自治州": 8,
    "甘南藏族自治州": 8,
    "兰州新区": 0,
}


@pytest.mark.django_db
def test_one_province_fifteen_prefecture_units_and_86_counties():
    counts = dict(Region.objects.values_list("level").annotate(n=Count("id")))

    assert counts == {"province": 1, "prefecture": 15, "county": 86}
    assert Region.objects.get(level="province").code == "620000"


@pytest.mark.django_db
def test_counties_per_prefecture_unit_match_the_published_counts():
    counts = dict(
        Region.objects.filter(level="prefecture")
        .annotate(n=Count("children"))
        .values_list("name", "n")
    )

    assert counts == COUNTIES_PER_PREFECTURE


@pytest.mark.django_db
def test_lanzhou_new_area_is_a_non_standard_prefecture_unit_of_the_province():
    new_area = region("LZXQ")

    assert (new_area.name, new_area.level) == ("兰州新区", "prefecture")
    assert not new_area.is_standard
    assert new_area.parent.code == "620000"
    assert new_area.path == "620000/LZXQ"
    assert Region.objects.filter(is_standard=False).count() == 1


@pytest.mark.django_db
def test_every_path_is_the_parents_path_plus_the_own_code():
    for row in Region.objects.select_related("parent"):
        expected = f"{row.parent.path}/{row.code}" if row.parent else row.code
        assert row.path == expected, row.code


@pytest.mark.django_db
def test_counties_hang_below_their_prefecture_in_the_path():
    assert region("620102").path == "620000/620100/620102"
    assert region("623027").path == "620000/623000/623027"


@pytest.mark.django_db
def test_huating_is_the_county_level_city_not_the_abolished_county():
    assert region("620881").name == "华亭市"
    assert not Region.objects.filter(code="620824").exists()


@pytest.mark.django_db
def test_97_industry_divisions_of_gbt_4754_are_loaded():
    assert Industry.objects.count() == 97
    assert Industry.objects.filter(section="C").count() == 31
    assert str(Industry.objects.get(code="C39")) == "C39 计算机、通信和其他电子设备制造业"


@pytest.mark.django_db
def test_database_refuses_an_unknown_region_level():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(
            code="629999", name="测试", level="city", parent=region("620000"), path="620000/629999"
        )


@pytest.mark.django_db
def test_database_refuses_a_region_other_than_the_province_without_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="629999", name="测试", level="county", path="629999")


@pytest.mark.django_db
def test_database_refuses_a_malformed_industry_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Industry.objects.create(code="c99", section="C", section_name="制造业", name="测试")


def insert_enterprise(code):
    """Insert an enterprise with raw SQL, past every Python-side validator."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_enterprise (
                uscc, name, legal_representative, founded_on, region_id, industry_id,
                main_products, niche_market, address, contact_name, contact_phone,
                contact_email, is_active, created_at, updated_at
            ) VALUES (%s, '测试有限公司', '张伟', %s, %s, %s, '测试', '', '', '', '', '', true,
                      now(), now())
            """,
            [code, datetime.date(2010, 1, 1), region("620102").pk,
             Industry.objects.get(code="C35").pk],
        )


@pytest.mark.django_db
def test_database_accepts_a_well_formed_credit_code():
    insert_enterprise("91620105MA71T4YW8Q")

    assert Enterprise.objects.filter(uscc="91620105MA71T4YW8Q").exists()


@pytest.mark.parametrize(
    "code",
    [
        "91620105ma71t4yw8q",  # lower case
        "91620105MA71T4YW8",  # 17 characters
        "9162A105MA71T4YW8Q",  # letter among the division digits
        "91620105MA71T4YW8O",  # O is never used
    ],
)
@pytest.mark.django_db
def test_database_refuses_a_lower_case_or_malformed_credit_code(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_enterprise(code)


@pytest.mark.django_db
def test_database_refuses_a_second_enterprise_with_the_same_credit_code():
    insert_enterprise("91620105MA71T4YW8Q")

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_enterprise("91620105MA71T4YW8Q")
