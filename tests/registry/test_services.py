import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.choices import Role
from demo.codes import make_uscc
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import Enterprise, Industry
from registry.services import enterprise_deactivate, enterprise_register, enterprise_update
from tests.factories.accounts import UserFactory
from tests.factories.registry import region

EnterpriseEvent = Enterprise.pgh_event_model


def registration(region_code="620102", **overrides):
    """Keyword arguments for enterprise_register with a valid, unused credit code."""
    fields = {
        "uscc_code": make_uscc(region_code if region_code.isdigit() else "620100"),
        "name": "兰州华新精密机械有限公司",
        "legal_representative": "马建国",
        "founded_on": datetime.date(2014, 3, 12),
        "region": region(region_code),
        "industry": Industry.objects.get(code="C34"),
        "main_products": "数控卧式车床",
        "niche_market": "大型数控车床",
    }
    fields.update(overrides)
    return fields


def writes():
    """Rows and history events, to show that a refused call wrote nothing."""
    return Enterprise.objects.count(), EnterpriseEvent.objects.count()


# Register


def test_county_staff_registers_an_enterprise_in_their_county(county_user):
    enterprise = enterprise_register(actor=county_user, **registration("620102"))

    enterprise.refresh_from_db()
    assert enterprise.region.code == "620102"
    assert enterprise.created_by == county_user
    assert enterprise.is_active


def test_city_staff_registers_an_enterprise_in_a_county_of_their_city(city_user):
    enterprise = enterprise_register(actor=city_user, **registration("620123"))

    assert enterprise.region.name == "榆中县"


def test_lanzhou_new_area_staff_register_on_the_new_area_itself(db):
    staff = UserFactory(role=Role.CITY_STAFF, region=region("LZXQ"))

    enterprise = enterprise_register(actor=staff, **registration("LZXQ"))

    assert enterprise.region.code == "LZXQ"


def test_jiayuguan_enterprises_are_registered_on_the_city_itself(db):
    staff = UserFactory(role=Role.CITY_STAFF, region=region("620200"))

    enterprise = enterprise_register(actor=staff, **registration("620200"))

    assert enterprise.region.name == "嘉峪关市"


def test_credit_code_is_stored_in_upper_case(county_user):
    code = make_uscc("620102")

    enterprise = enterprise_register(
        actor=county_user, **registration(uscc_code=f"  {code.lower()} ")
    )

    assert enterprise.uscc == code


def test_county_staff_cannot_register_in_another_county(county_user):
    before = writes()

    with pytest.raises(DomainError) as err:
        enterprise_register(actor=county_user, **registration("620103"))

    assert "管辖范围" in err.value.fields["region"][0]
    assert writes() == before


def test_city_staff_cannot_register_in_another_city(city_user):
    before = writes()

    with pytest.raises(DomainError) as err:
        enterprise_register(actor=city_user, **registration("620502"))

    assert "region" in err.value.fields
    assert writes() == before


def test_a_prefecture_with_counties_cannot_hold_enterprises(city_user):
    before = writes()

    with pytest.raises(DomainError) as err:
        enterprise_register(actor=city_user, **registration("620100"))

    assert "请选择县区" in err.value.fields["region"][0]
    assert writes() == before


def test_the_province_cannot_hold_enterprises(db):
    admin = UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"), is_superuser=True)

    with pytest.raises(DomainError) as err:
        enterprise_register(actor=admin, **registration("620000"))

    assert "region" in err.value.fields


@pytest.mark.parametrize(
    ("role", "region_code"),
    [
        (Role.EXPERT, None),
        (Role.API_CLIENT, "620102"),
        (Role.PROVINCIAL_REVIEWER, "620000"),
        (Role.AUDITOR, "620000"),
        (Role.FINANCE_OFFICER, "620000"),
    ],
)
def test_roles_other_than_county_and_city_staff_cannot_register(db, role, region_code):
    actor = UserFactory(role=role, region=region(region_code) if region_code else None)
    before = writes()

    with pytest.raises(PermissionDenied):
        enterprise_register(actor=actor, **registration("620102"))

    assert writes() == before


def test_a_credit_code_already_registered_is_refused_and_nothing_is_written(county_user):
    first = enterprise_register(actor=county_user, **registration())
    before = writes()

    with pytest.raises(DomainError) as err:
        enterprise_register(
            actor=county_user, **registration(uscc_code=first.uscc.lower(), name="另一家公司")
        )

    assert err.value.code == "uscc_taken"
    assert "不能登记" in err.value.fields["uscc"][0]
    assert writes() == before


def test_a_wrong_check_character_is_refused_naming_the_check_and_nothing_is_written(
    county_user,
):
    valid = make_uscc("620102")
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    before = writes()

    with pytest.raises(ValidationError) as err:
        enterprise_register(actor=county_user, **registration(uscc_code=wrong))

    message = err.value.message_dict["uscc"][0]
    assert "校验位错误" in message
    assert f"第18位应为 {valid[17]}" in message
    assert writes() == before


@pytest.mark.parametrize(
    ("code", "check"),
    [
        ("9162010571902372", "应为18位"),
        ("91620105MA71T4YW8O", "不允许的字符"),
        ("9162A1057190237210", "第3–8位应为数字"),
    ],
)
def test_a_malformed_credit_code_is_refused_naming_the_check(county_user, code, check):
    before = writes()

    with pytest.raises(ValidationError) as err:
        enterprise_register(actor=county_user, **registration(uscc_code=code))

    assert check in err.value.message_dict["uscc"][0]
    assert writes() == before


def test_register_refuses_fields_it_does_not_know(county_user):
    with pytest.raises(DomainError):
        enterprise_register(actor=county_user, **registration(is_active=False))


# Update


def test_county_staff_update_an_enterprise_of_their_county(county_user, enterprise):
    updated = enterprise_update(
        actor=county_user, enterprise=enterprise, main_products="颚式破碎机", contact_name="李明"
    )

    updated.refresh_from_db()
    assert updated.main_products == "颚式破碎机"
    assert updated.contact_name == "李明"


def test_city_staff_update_an_enterprise_in_one_of_their_counties(city_user, enterprise):
    enterprise_update(actor=city_user, enterprise=enterprise, name="兰州城关重型机械有限公司")

    enterprise.refresh_from_db()
    assert enterprise.name == "兰州城关重型机械有限公司"


def test_county_staff_cannot_update_an_enterprise_of_another_county(other_county_user, enterprise):
    with pytest.raises(OutOfScope):
        enterprise_update(actor=other_county_user, enterprise=enterprise, name="改名")

    enterprise.refresh_from_db()
    assert enterprise.name == "兰州城关精密机械有限公司"


def test_city_staff_cannot_update_an_enterprise_of_another_city(other_city_user, enterprise):
    with pytest.raises(OutOfScope):
        enterprise_update(actor=other_city_user, enterprise=enterprise, name="改名")


@pytest.mark.parametrize("role", [Role.PROVINCIAL_REVIEWER, Role.AUDITOR])
def test_provincial_roles_cannot_update(db, enterprise, role):
    actor = UserFactory(role=role, region=region("620000"))

    with pytest.raises(PermissionDenied):
        enterprise_update(actor=actor, enterprise=enterprise, name="改名")


def test_api_client_cannot_update(api_user, enterprise):
    with pytest.raises(PermissionDenied):
        enterprise_update(actor=api_user, enterprise=enterprise, name="改名")


def test_city_staff_move_an_enterprise_to_another_county_of_their_city(city_user, enterprise):
    enterprise_update(actor=city_user, enterprise=enterprise, region=region("620103"))

    enterprise.refresh_from_db()
    assert enterprise.region.name == "七里河区"


def test_city_staff_cannot_move_an_enterprise_to_another_city(city_user, enterprise):
    with pytest.raises(DomainError) as err:
        enterprise_update(actor=city_user, enterprise=enterprise, region=region("620502"))

    assert "region" in err.value.fields
    enterprise.refresh_from_db()
    assert enterprise.region.code == "620102"


def test_county_staff_cannot_move_an_enterprise_out_of_their_county(county_user, enterprise):
    with pytest.raises(DomainError) as err:
        enterprise_update(actor=county_user, enterprise=enterprise, region=region("620103"))

    assert "管辖范围" in err.value.fields["region"][0]
    enterprise.refresh_from_db()
    assert enterprise.region.code == "620102"


def test_an_enterprise_cannot_be_moved_onto_a_prefecture_with_counties(city_user, enterprise):
    with pytest.raises(DomainError) as err:
        enterprise_update(actor=city_user, enterprise=enterprise, region=region("620100"))

    assert "请选择县区" in err.value.fields["region"][0]


def test_the_credit_code_cannot_be_changed_by_an_update(county_user, enterprise):
    with pytest.raises(DomainError):
        enterprise_update(actor=county_user, enterprise=enterprise, uscc=make_uscc("620102"))


def test_an_update_is_validated_like_a_registration(county_user, enterprise):
    with pytest.raises(ValidationError) as err:
        enterprise_update(actor=county_user, enterprise=enterprise, contact_email="不是邮箱")

    assert "contact_email" in err.value.message_dict


# Deactivate


def test_deactivation_keeps_the_enterprise_and_its_reason(county_user, enterprise):
    enterprise_deactivate(actor=county_user, enterprise=enterprise, reason="  企业已注销  ")

    enterprise.refresh_from_db()
    assert not enterprise.is_active
    assert Enterprise.objects.visible_to(county_user).filter(pk=enterprise.pk).exists()
    latest = EnterpriseEvent.objects.filter(pgh_obj=enterprise).latest("pgh_id")
    assert latest.pgh_context.metadata["reason"] == "企业已注销"


def test_deactivating_an_inactive_enterprise_again_records_nothing(county_user, enterprise):
    enterprise_deactivate(actor=county_user, enterprise=enterprise, reason="企业已注销")
    before = writes()

    enterprise_deactivate(actor=county_user, enterprise=enterprise, reason="重复提交")

    assert writes() == before
    latest = EnterpriseEvent.objects.filter(pgh_obj=enterprise).latest("pgh_id")
    assert latest.pgh_context.metadata["reason"] == "企业已注销"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_deactivation_needs_a_reason(county_user, enterprise, reason):
    with pytest.raises(DomainError) as err:
        enterprise_deactivate(actor=county_user, enterprise=enterprise, reason=reason)

    assert "reason" in err.value.fields
    enterprise.refresh_from_db()
    assert enterprise.is_active


def test_deactivation_outside_the_actors_region_is_out_of_scope(other_city_user, enterprise):
    with pytest.raises(OutOfScope):
        enterprise_deactivate(actor=other_city_user, enterprise=enterprise, reason="迁出")

    enterprise.refresh_from_db()
    assert enterprise.is_active


def test_experts_cannot_deactivate(expert_user, enterprise):
    with pytest.raises(PermissionDenied):
        enterprise_deactivate(actor=expert_user, enterprise=enterprise, reason="迁出")


def test_the_registry_offers_no_way_to_delete_an_enterprise():
    from registry import services

    assert not [name for name in dir(services) if "delete" in name.lower()]
