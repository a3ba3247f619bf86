"""Importing financing needs: every error of every row at once, nothing half-written."""

import pytest
from django.urls import reverse

from financing import services
from financing.imports import NEED_COLUMNS
from financing.models import FinancingNeed, FinancingNeedTransition
from gansu_sme.exceptions import DomainError, PermissionDenied
from tests.factories.registry import EnterpriseFactory
from tests.factories.workbooks import rows_of, sheet_upload, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def record(firm, **cells):
    values = {"uscc": firm.uscc, "kind": "贷款", "amount": 500, "term_months": 24,
              "purpose": "购置设备", "collateral": "厂房", "urgency": "一般",
              "agreed_to_share": "是"}
    values.update(cells)
    return values


def test_a_clean_sheet_files_every_need(county_user, enterprise):
    other = EnterpriseFactory()
    result = services.need_import(actor=county_user, upload=sheet_upload(
        NEED_COLUMNS, rows_of(NEED_COLUMNS, [record(enterprise), record(other, kind="担保")])
    ))
    assert (result.created, result.errors) == (2, [])
    assert sorted(FinancingNeed.objects.values_list("kind", flat=True)) == ["guarantee", "loan"]
    assert FinancingNeedTransition.objects.filter(verb="file").count() == 2


def test_every_error_is_reported_at_once_and_nothing_is_written(county_user, enterprise,
                                                               tianshui_enterprise):
    rows = rows_of(NEED_COLUMNS, [
        record(enterprise),  # fine, yet not written because of the others
        record(enterprise, amount="很多", urgency="马上"),
        record(tianshui_enterprise),
        record(enterprise, term_months=400),
        record(enterprise, amount=0),
    ])
    result = services.need_import(actor=county_user, upload=sheet_upload(NEED_COLUMNS, rows))
    assert result.created == 0
    assert [(e.row, e.code) for e in result.errors] == [
        (3, "not_a_number"), (3, "not_in_list"), (4, "unknown_enterprise"),
        (5, "term_out_of_range"), (6, "amount_not_positive"),
    ]
    assert not FinancingNeed.objects.exists()
    assert not FinancingNeedTransition.objects.exists()


def test_a_file_that_is_not_the_template_is_refused(county_user):
    content = upload(xlsx_bytes(["企业", "金额"], [["x", 1]]))
    with pytest.raises(DomainError) as refused:
        services.need_import(actor=county_user, upload=content)
    assert refused.value.code == "upload_refused"


def test_only_filing_roles_import(province_user, enterprise):
    with pytest.raises(PermissionDenied):
        services.need_import(actor=province_user, upload=sheet_upload(
            NEED_COLUMNS, rows_of(NEED_COLUMNS, [record(enterprise)])
        ))


def test_the_import_page_lists_the_errors(client, county_user, enterprise):
    client.force_login(county_user)
    rows = rows_of(NEED_COLUMNS, [record(enterprise, amount="很多"), record(enterprise)])
    response = client.post(reverse("financing:need-import"),
                           {"file": sheet_upload(NEED_COLUMNS, rows)})
    assert response.status_code == 400
    assert "import-errors" in response.content.decode()
    assert not FinancingNeed.objects.exists()


def test_the_template_downloads(client, county_user):
    client.force_login(county_user)
    response = client.get(reverse("financing:need-import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
