"""The monitoring import streamed in batches: every error of the file at once, repeats found
across batches, nothing written unless every row is, and long files written batch by batch."""

import pgtrigger
import pytest

from registry.choices import ImportKind, ImportStatus
from registry.imports import MONITORING_COLUMNS
from registry.models import Enterprise, MonitoringReport
from registry.services import import_job_confirm, import_job_create
from registry.services import imports as import_services
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.workbooks import rows_of, sheet_upload
from tests.registry.test_imports import (
    NOT_FOUND,
    codes_by_cell,
    column_of,
    report_file,
    report_record,
    writes,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_services, "MONITORING_BATCH", 2)


def test_errors_in_rows_of_several_batches_are_all_reported_and_nothing_is_written(
    county_user, small_batches
):
    firms = EnterpriseFactory.create_batch(3)
    before = writes()

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(
            report_record(firms[0]),  # row 2: good
            report_record(firms[1], operating_revenue=-5),  # row 3: negative money
            report_record(firms[2]),  # row 4: good, in the second batch
            report_record(firms[0]),  # row 5: repeats row 2, from another batch
            report_record(firms[1], period_kind="季报", period=7),  # row 6: no 7th quarter
            report_record(firms[2], uscc="91620102MA00000000"),  # row 7: not registered
            report_record(firms[2], period_kind="月报", period=1),  # row 8: good
        ),
    )

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job) == {
        (3, column_of("operating_revenue")): "negative",
        (5, "A"): import_services.DUPLICATE_ROW,
        (6, "E"): "period_out_of_range",
        (7, "A"): NOT_FOUND,
    }
    assert job.errors[1]["message"] == "与第2行重复。"
    assert job.summary["error_count"] == 4
    assert job.summary["error_rows"] == 4
    assert job.row_count == 7
    assert writes() == before


def test_a_row_refused_while_writing_a_later_batch_leaves_nothing_written(
    county_user, small_batches
):
    firms = EnterpriseFactory.create_batch(5)
    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(*(report_record(firm) for firm in firms)),
    )
    assert job.status == ImportStatus.READY, job.errors
    # Between validation and confirmation the last firm moves to another county: the third
    # batch is refused after the first two were written.
    Enterprise.objects.filter(pk=firms[-1].pk).update(region=region("620502"))
    before = writes()

    job = import_job_confirm(actor=county_user, job=job)

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job) == {(6, "A"): NOT_FOUND}
    assert writes() == before
    assert not MonitoringReport.objects.exists()


def test_a_long_file_is_written_whole_in_batches(county_user, monkeypatch):
    rows = 6_000
    county = region("620102")
    industry = EnterpriseFactory().industry
    with pgtrigger.ignore("registry.Enterprise:insert_insert"):
        firms = Enterprise.objects.bulk_create(
            Enterprise(
                uscc=f"91620102MA{i:08d}", name=f"批量企业{i:05d}", legal_representative="张伟",
                founded_on="2012-05-18", region=county, industry=industry,
                main_products="矿山专用设备",
            )
            for i in range(rows)
        )
    calls = []
    save = import_services.monitoring_reports_save

    def counted(**kwargs):
        calls.append((len(kwargs["items"]), kwargs["validate_only"]))
        return save(**kwargs)

    monkeypatch.setattr(import_services, "monitoring_reports_save", counted)
    upload = sheet_upload(
        MONITORING_COLUMNS, rows_of(MONITORING_COLUMNS, [report_record(f) for f in firms])
    )

    job = import_job_create(actor=county_user, kind=ImportKind.MONITORING, upload=upload)
    assert job.status == ImportStatus.READY, job.errors[:3]
    job = import_job_confirm(actor=county_user, job=job)

    assert job.status == ImportStatus.DONE
    assert job.summary["created"] == rows
    assert job.row_count == rows
    assert MonitoringReport.objects.count() == rows
    # Each pass reads the file batch by batch: validated in batches, then written in batches.
    batch = import_services.MONITORING_BATCH
    sizes = [min(batch, rows - start) for start in range(0, rows, batch)]
    assert calls == [(n, True) for n in sizes] + [(n, False) for n in sizes]
