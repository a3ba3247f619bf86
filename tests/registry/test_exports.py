"""Excel exports of the list pages: same filters and scope as the page, escaped, logged."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from registry.choices import ImportKind, ImportStatus, PeriodKind, PoolKind, PoolTier
from registry.imports import ENTERPRISE_COLUMNS, MONITORING_COLUMNS, POOL_COLUMNS
from registry.models import ExportRecord
from registry.services import ReportInput, import_job_create, monitoring_reports_save
from registry.services.pool import pool_entry_admit
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.workbooks import open_workbook, upload

EXPORT = reverse("registry:enterprise-export")
POOL_EXPORT = reverse("registry:pool-entry-export")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def exported(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment")
    sheet = open_workbook(response).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows[0], rows[1:]


def exported_bytes(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows[0], rows[1:]


def test_the_export_holds_what_the_filtered_list_shows(client, county_user):
    EnterpriseFactory(name="兰州新材料科技有限公司")
    EnterpriseFactory(name="兰州机械厂")
    EnterpriseFactory(name="七里河新材料公司", region=region("620103"))
    client.force_login(county_user)

    page = client.get(reverse("registry:enterprise-list"), {"search": "新材料"})
    _, header, rows = exported(client.get(EXPORT, {"search": "新材料"}))

    assert "共 1 家企业" in page.text or "1 enterprise" in page.text
    assert header[: len(ENTERPRISE_COLUMNS)] == tuple(c.header for c in ENTERPRISE_COLUMNS)
    assert [row[1] for row in rows] == ["兰州新材料科技有限公司"]


def test_the_export_is_scoped_like_the_page(client, city_user, other_city_user):
    EnterpriseFactory.create_batch(2)
    EnterpriseFactory(region=region("620502"))
    client.force_login(other_city_user)

    _, _, rows = exported(client.get(EXPORT))

    assert len(rows) == 1
    assert rows[0][4].startswith("620502 ")


def test_every_export_is_logged_with_user_list_filters_and_row_count(client, city_user):
    EnterpriseFactory.create_batch(3)
    client.force_login(city_user)

    exported(client.get(EXPORT, {"region": "620102", "is_active": "true", "page": "2"}))

    record = ExportRecord.objects.get()
    assert record.user == city_user
    assert record.listing == "enterprises"
    assert record.filters == {"region": "620102", "is_active": "true"}
    assert record.row_count == 3


def test_text_that_would_run_as_a_formula_comes_out_as_text(client, county_user):
    hostile = '=HYPERLINK("http://evil.example","点此领取补贴")'
    EnterpriseFactory(name=hostile, main_products="+86 0931", niche_market="@SUM(1)")
    client.force_login(county_user)

    sheet, _, _ = exported(client.get(EXPORT))

    name = sheet["B2"]
    assert name.data_type == "s"
    assert name.value == "'" + hostile
    assert sheet["G2"].value == "'+86 0931"
    assert sheet["H2"].value == "'@SUM(1)"


def test_an_exported_list_uploads_again_as_unchanged(client, county_user):
    EnterpriseFactory.create_batch(3, contact_phone="+86 931 8888888")
    client.force_login(county_user)
    content = b"".join(client.get(EXPORT).streaming_content)

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=upload(content)
    )

    assert job.status == ImportStatus.READY, job.errors
    assert job.summary["unchanged"] == 3


def test_the_export_takes_the_same_queries_for_few_or_many_rows(
    client, city_user, django_assert_max_num_queries
):
    client.force_login(city_user)
    EnterpriseFactory.create_batch(2)
    with django_assert_max_num_queries(20) as few:
        exported(client.get(EXPORT))
    EnterpriseFactory.create_batch(30)

    with django_assert_max_num_queries(len(few)):
        exported(client.get(EXPORT))


def test_the_list_page_links_to_the_export_with_its_current_filters(client, county_user):
    EnterpriseFactory()
    client.force_login(county_user)

    page = client.get(reverse("registry:enterprise-list"), {"search": "兰州", "page": "1"})

    assert f'href="{EXPORT}?search=%E5%85%B0%E5%B7%9E"' in page.text


def test_accounts_without_a_region_cannot_export(client, db):
    client.force_login(UserFactory(role=Role.EXPERT, region=None))

    assert client.get(EXPORT).status_code == 403
    assert not ExportRecord.objects.exists()


def test_pool_entries_export_with_their_filters_and_chinese_labels(client, county_user):
    kept, other = EnterpriseFactory.create_batch(2)
    for firm in (kept, other):
        pool_entry_admit(
            actor=county_user, enterprise=firm, pool=PoolKind.ZJTX if firm == kept
            else PoolKind.SCALE_UP, tier=PoolTier.COUNTY, admission_year=2025,
            admission_reason="细分领域领先",
        )
    client.force_login(county_user)

    page = client.get(reverse("registry:pool-entry-list"), {"pool": "zjtx", "status": "active"})
    _, header, rows = exported(client.get(POOL_EXPORT, {"pool": "zjtx", "status": "active"}))

    assert f'href="{POOL_EXPORT}?pool=zjtx&amp;status=active"' in page.text
    assert header[: len(POOL_COLUMNS)] == tuple(c.header for c in POOL_COLUMNS)
    assert [(r[0], r[2], r[3]) for r in rows] == [(kept.uscc, "专精特新培育库", "县级库")]
    record = ExportRecord.objects.get()
    assert (record.listing, record.row_count) == ("pool_entries", 1)


MONITORING_EXPORT = reverse("registry:monitoring-export")


def test_monitoring_reports_export_with_their_filters_and_upload_again_unchanged(
    client, county_user
):
    firms = EnterpriseFactory.create_batch(2)
    for firm, revenue in zip(firms, (Decimal("2400.50"), Decimal("80.00")), strict=True):
        monitoring_reports_save(actor=county_user, items=[ReportInput(
            enterprise=firm, period_kind=PeriodKind.YEAR, year=2024, period=0,
            figures={"operating_revenue": revenue, "employees": 12, "uses_cloud": True},
        )])
    EnterpriseFactory(region=region("620103"))
    client.force_login(county_user)

    page = client.get(reverse("registry:monitoring-list"), {"search": firms[0].uscc})
    response = client.get(MONITORING_EXPORT, {"search": firms[0].uscc})
    content = b"".join(response.streaming_content)
    _, header, rows = exported_bytes(content)

    assert f'href="{MONITORING_EXPORT}?search={firms[0].uscc}"' in page.text
    assert header[: len(MONITORING_COLUMNS)] == tuple(c.header for c in MONITORING_COLUMNS)
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["统一社会信用代码"] == firms[0].uscc
    assert values["报表类型"] == "年报"
    assert values["营业收入（万元）"] == 2400.5
    assert values["上云（是/否）"] == "是"
    assert values["状态"] == "草稿"
    assert ExportRecord.objects.get().listing == "monitoring_reports"

    job = import_job_create(actor=county_user, kind=ImportKind.MONITORING, upload=upload(content))
    assert job.status == ImportStatus.READY, job.errors
    assert job.summary["unchanged"] == 1
