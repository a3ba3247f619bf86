"""The operations log: what is recorded (sign-ins, failed sign-ins, exports, downloads, changes)
and the auditors' read-only page with its filters and export."""

import datetime
import io

import openpyxl
import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oplog.choices import Kind
from oplog.models import Operation
from oplog.services import record
from tests.factories.accounts import PASSWORD

LIST_URL = reverse("operation-list")
EXPORT_URL = reverse("operation-export")


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def page_rows(client, **params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return response.context["table"].data.data


def test_a_sign_in_is_logged_with_user_and_address(client, county_user):
    sign_in(client, "chengguan")
    row = Operation.objects.get(kind=Kind.SIGN_IN)
    assert (row.user, row.username, row.address) == (county_user, "chengguan", "127.0.0.1")


def test_a_failed_sign_in_is_logged_with_the_name_typed(client, county_user):
    sign_in(client, "chengguan", "wrong")
    sign_in(client, "nobody-here", "wrong")
    rows = Operation.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("id")
    assert [(r.user, r.username, r.address) for r in rows] == [
        (county_user, "chengguan", "127.0.0.1"), (None, "nobody-here", "127.0.0.1"),
    ]


@pytest.mark.parametrize(("proxies", "logged"), [(0, "127.0.0.1"), (1, "198.51.100.7")])
def test_the_log_keeps_the_address_the_rate_limits_use(client, db, settings, proxies, logged):
    settings.TRUSTED_PROXY_COUNT = proxies
    client.post(reverse("login"), {"username": "x", "password": "y"},
                HTTP_X_FORWARDED_FOR="10.6.6.6, 198.51.100.7")
    assert Operation.objects.get(kind=Kind.SIGN_IN_FAILED).address == logged


def test_a_sign_out_is_logged(client, county_user):
    client.force_login(county_user)
    client.post(reverse("logout"))
    assert Operation.objects.get(kind=Kind.SIGN_OUT).user == county_user


def test_a_list_export_is_logged_with_its_filters_and_rows(client, county_user, enterprise):
    client.force_login(county_user)
    response = client.get(reverse("registry:enterprise-export"), {"search": "城关"})
    b"".join(response.streaming_content)
    row = Operation.objects.get(kind=Kind.EXPORT)
    assert (row.user, row.object_type, row.object_repr) == (
        county_user, "registry.Enterprise", "企业名录"
    )
    assert row.details["rows"] == 1
    assert row.details["filters"] == {"search": "城关"}
    assert row.details["file"].endswith(".xlsx")


def test_a_file_download_is_logged_with_its_file_name(client, county_user):
    client.force_login(county_user)
    response = client.get(reverse("registry:import-template", args=["enterprises"]))
    assert response.status_code == 200
    row = Operation.objects.get(kind=Kind.DOWNLOAD)
    assert row.user == county_user and row.address == "127.0.0.1"
    assert row.object_repr == row.details["file"] and row.object_repr.endswith(".xlsx")
    assert row.details["view"] == "registry:import-template"
    assert row.details["arguments"] == {"kind": "enterprises"}


def test_a_refused_download_is_not_logged_as_one(client, expert_user):
    client.force_login(expert_user)
    client.get(reverse("registry:import-template", args=["enterprises"]))
    assert not Operation.objects.filter(kind=Kind.DOWNLOAD).exists()


def test_the_api_schema_is_not_logged_as_a_download(client, county_user):
    client.force_login(county_user)
    response = client.get(reverse("schema"))
    assert response.status_code == 200 and response.get("Content-Disposition")
    assert not Operation.objects.filter(kind=Kind.DOWNLOAD).exists()


def test_a_change_shows_with_who_what_and_the_address(client, county_user, auditor_user,
                                                      enterprise):
    client.force_login(county_user)
    response = client.post(
        reverse("registry:enterprise-deactivate", args=[enterprise.uscc]), {"reason": "已注销"}
    )
    assert response.status_code == 302

    client.force_login(auditor_user)
    [change] = [
        row for row in page_rows(client, kind=Kind.CHANGE)
        if row.action == "update" and row.object_type == "registry.Enterprise"
    ]
    assert change.user == county_user
    assert change.address == "127.0.0.1"
    assert change.object_id == str(enterprise.pk)
    assert change.object_repr == str(enterprise)
    assert "is_active" not in change.changed_fields
    assert str(enterprise._meta.get_field("is_active").verbose_name) in change.changed_fields


def test_the_log_merges_operations_and_changes_newest_first(client, auditor_user, enterprise):
    record(kind=Kind.DOWNLOAD, user=auditor_user, object_repr="a.pdf")
    client.force_login(auditor_user)
    rows = page_rows(client)
    kinds = [row.kind for row in rows]
    assert {Kind.SIGN_IN, Kind.DOWNLOAD, Kind.CHANGE} <= set(kinds)
    assert [row.at for row in rows] == sorted((row.at for row in rows), reverse=True)


@pytest.fixture
def logged(county_user, city_user):
    old = timezone.now() - datetime.timedelta(days=10)
    Operation.objects.bulk_create([
        Operation(kind=Kind.DOWNLOAD, user=county_user, username="chengguan", at=old,
                  object_repr="old.pdf"),
        Operation(kind=Kind.EXPORT, user=city_user, username="lanzhou",
                  object_type="registry.Enterprise", object_id="", object_repr="企业名录"),
        Operation(kind=Kind.PASSWORD_RESET, user=city_user, username="lanzhou",
                  object_type="accounts.User", object_id=str(county_user.pk)),
    ])


def test_filters_by_user(client, auditor_user, logged, county_user):
    client.force_login(auditor_user)
    rows = page_rows(client, user=county_user.pk)
    assert {row.user for row in rows} == {county_user}
    assert [row.object_repr for row in rows if row.kind == Kind.DOWNLOAD] == ["old.pdf"]


def test_filters_by_date(client, auditor_user, logged):
    client.force_login(auditor_user)
    today = timezone.localdate()
    assert "old.pdf" not in {r.object_repr for r in page_rows(client, date_from=today)}
    old = page_rows(client, date_to=today - datetime.timedelta(days=5))
    assert [r.object_repr for r in old] == ["old.pdf"]


def test_filters_by_kind(client, auditor_user, logged):
    client.force_login(auditor_user)
    assert {r.kind for r in page_rows(client, kind=Kind.EXPORT)} == {Kind.EXPORT}
    assert {r.kind for r in page_rows(client, kind=Kind.CHANGE)} == {Kind.CHANGE}


def test_filters_by_object(client, auditor_user, logged, county_user):
    client.force_login(auditor_user)
    rows = page_rows(client, object_type="accounts.User", object_id=county_user.pk)
    assert {r.kind for r in rows} >= {Kind.PASSWORD_RESET}
    assert {(r.object_type, r.object_id) for r in rows} == {("accounts.User", str(county_user.pk))}
    enterprises = page_rows(client, object_type="registry.Enterprise")
    assert {r.object_type for r in enterprises} == {"registry.Enterprise"}


def test_an_invalid_filter_is_shown_as_an_error(client, auditor_user):
    client.force_login(auditor_user)
    response = client.get(LIST_URL, {"kind": "not-a-kind"})
    assert response.status_code == 200
    assert response.context["filter"].errors["kind"][0]
    assert "起始日期" in response.text and "截止日期" in response.text


def test_the_export_holds_the_filtered_rows_in_chinese(client, auditor_user, logged):
    client.force_login(auditor_user)
    response = client.get(EXPORT_URL, {"kind": Kind.EXPORT, "language": "en"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    values = list(sheet.values)
    assert values[0][:3] == ("时间", "类型", "用户")
    assert len(values) == 2
    assert values[1][1] == "导出"
    logged_export = Operation.objects.filter(kind=Kind.EXPORT, user=auditor_user).get()
    assert logged_export.details["filters"] == {"kind": "export", "language": "en"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_log_is_read_only(client, auditor_user, method):
    client.force_login(auditor_user)
    assert getattr(client, method)(LIST_URL).status_code == 405


def test_the_database_refuses_to_change_or_delete_a_row(county_user):
    row = record(kind=Kind.DOWNLOAD, user=county_user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Operation.objects.filter(pk=row.pk).update(object_repr="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        Operation.objects.filter(pk=row.pk).delete()


def test_only_auditors_and_administrators_read_the_log(client, county_user, province_user,
                                                      auditor_user):
    assert client.get(LIST_URL).status_code == 302
    for user in (county_user, province_user):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(EXPORT_URL).status_code == 403
    client.force_login(auditor_user)
    assert client.get(LIST_URL).status_code == 200
    assert f'href="{LIST_URL}"' in client.get(reverse("home")).text


def test_the_page_costs_the_same_queries_whatever_the_rows(client, auditor_user, county_user,
                                                          city_user):
    client.force_login(auditor_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL, {"kind": Kind.DOWNLOAD}).status_code == 200
        return len(captured)

    record(kind=Kind.DOWNLOAD, user=county_user, object_repr="first.pdf")
    few = queries()
    for n in range(30):
        record(kind=Kind.DOWNLOAD, user=(county_user, city_user, auditor_user)[n % 3],
               object_repr=f"{n}.pdf")
    assert queries() == few


def test_a_download_through_the_api_is_logged_with_the_token_s_owner(
    as_user, county_user, enterprise, settings, tmp_path
):
    from tests.factories.applications import AttachmentFactory

    settings.MEDIA_ROOT = tmp_path
    attachment = AttachmentFactory(application__enterprise=enterprise)
    response = as_user(county_user).get(reverse(
        "certification-api:application-attachment-download",
        args=[attachment.application.pk, attachment.pk],
    ))
    assert response.status_code == 200
    row = Operation.objects.get(kind=Kind.DOWNLOAD)
    assert (row.user, row.object_repr) == (county_user, "申报书.pdf")
