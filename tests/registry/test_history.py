"""Every change of an enterprise is kept by the database triggers, with who and which request."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.urls import path

from demo.codes import make_uscc
from registry.models import Enterprise, Industry
from registry.selectors import enterprise_history
from registry.services import enterprise_deactivate, enterprise_register, enterprise_update
from tests.factories.registry import region

EnterpriseEvent = Enterprise.pgh_event_model


def rename_view(request, pk):
    """A stand-in for the edit view: one service call made by the signed-in user."""
    enterprise = Enterprise.objects.get(pk=pk)
    enterprise_update(actor=request.user, enterprise=enterprise, name=request.POST["name"])
    return HttpResponse("ok")


urlpatterns = [path("rename/<int:pk>/", rename_view)]


@pytest.fixture
def registered(county_user):
    return enterprise_register(
        actor=county_user,
        uscc_code=make_uscc("620102"),
        name="兰州华新精密机械有限公司",
        legal_representative="马建国",
        founded_on=datetime.date(2014, 3, 12),
        region=region("620102"),
        industry=Industry.objects.get(code="C34"),
        main_products="数控卧式车床",
    )


def changes(entry):
    return {c.field: (c.old, c.new) for c in entry.changes}


def test_history_shows_who_changed_which_field_from_what_to_what_newest_first(
    county_user, city_user, registered
):
    enterprise_update(actor=county_user, enterprise=registered, main_products="立式加工中心")
    enterprise_update(
        actor=city_user,
        enterprise=registered,
        region=region("620103"),
        industry=Industry.objects.get(code="C35"),
    )

    history = enterprise_history(enterprise=registered)

    assert [e.action for e in history] == ["update", "update", "insert"]
    moved, edited, created = history
    assert moved.user == city_user
    assert changes(moved) == {
        "region": ("城关区", "七里河区"),
        "industry": ("C34 通用设备制造业", "C35 专用设备制造业"),
    }
    assert edited.user == county_user
    assert changes(edited) == {"main_products": ("数控卧式车床", "立式加工中心")}
    assert created.user == county_user
    assert moved.at >= edited.at >= created.at


def test_history_labels_fields_by_their_verbose_name(county_user, registered):
    enterprise_update(actor=county_user, enterprise=registered, contact_name="李明")

    (change,) = enterprise_history(enterprise=registered)[0].changes

    assert change.label == str(Enterprise._meta.get_field("contact_name").verbose_name)
    assert (change.old, change.new) == ("—", "李明")


def test_deactivation_appears_in_history_with_its_reason(county_user, registered):
    enterprise_deactivate(actor=county_user, enterprise=registered, reason="企业已注销")

    latest = enterprise_history(enterprise=registered)[0]

    assert latest.reason == "企业已注销"
    assert latest.user == county_user
    assert changes(latest)["is_active"] == ("是", "否")


# The next two start from a factory row, not a service call: pghistory's context lives until the
# end of the transaction, and a test runs in one, so it would still name the service's actor.


def test_a_queryset_update_is_captured_by_the_triggers(enterprise):
    Enterprise.objects.filter(pk=enterprise.pk).update(name="兰州城关数控机床有限公司")

    latest = enterprise_history(enterprise=enterprise)[0]

    assert latest.action == "update"
    assert changes(latest)["name"] == ("兰州城关精密机械有限公司", "兰州城关数控机床有限公司")
    assert latest.user is None


def test_a_raw_sql_update_is_captured_by_the_triggers(enterprise):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_enterprise SET legal_representative = %s WHERE id = %s",
            ["王伟", enterprise.pk],
        )

    latest = enterprise_history(enterprise=enterprise)[0]

    assert latest.action == "update"
    assert changes(latest)["legal_representative"] == ("张伟", "王伟")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE registry_enterpriseevent SET name = 'forged' WHERE pgh_obj_id = %s",
        "DELETE FROM registry_enterpriseevent WHERE pgh_obj_id = %s",
    ],
)
def test_history_rows_cannot_be_changed_or_deleted(registered, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [registered.pk])

    assert EnterpriseEvent.objects.filter(pgh_obj=registered, name="forged").count() == 0
    assert EnterpriseEvent.objects.filter(pgh_obj=registered).count() == 1


def test_history_rows_cannot_be_deleted_through_the_orm(registered):
    with pytest.raises(DatabaseError), transaction.atomic():
        EnterpriseEvent.objects.filter(pgh_obj=registered).delete()


@pytest.mark.urls(__name__)
def test_a_request_records_its_user_and_request_id(client, county_user, registered):
    client.force_login(county_user)

    response = client.post(
        f"/rename/{registered.pk}/",
        {"name": "兰州华新智能装备有限公司"},
        headers={"X-Request-ID": "req-20260101-0001"},
    )

    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-20260101-0001"
    latest = enterprise_history(enterprise=registered)[0]
    assert latest.request_id == "req-20260101-0001"
    assert latest.user == county_user
    assert changes(latest)["name"] == ("兰州华新精密机械有限公司", "兰州华新智能装备有限公司")


@pytest.mark.urls(__name__)
def test_a_request_without_an_id_gets_one_and_echoes_it(client, county_user, registered):
    client.force_login(county_user)

    response = client.post(f"/rename/{registered.pk}/", {"name": "兰州华新机床有限公司"})

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    assert enterprise_history(enterprise=registered)[0].request_id == request_id
