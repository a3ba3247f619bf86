"""Excel imports end to end: template, upload, validation report, confirm, re-upload, jobs."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl.utils import get_column_letter

from accounts.choices import Role
from demo.codes import make_uscc
from gansu_sme import outbox
from gansu_sme.celery import app as celery_app
from gansu_sme.excel.writer import ERROR_FILL, ERRORS_HEADER, NOTES_SHEET
from gansu_sme.exceptions import InvalidTransition, OutOfScope
from gansu_sme.models import AuditEvent
from registry.choices import ImportKind, ImportStatus, PoolKind, PoolTier, ReportStatus
from registry.imports import ENTERPRISE_COLUMNS, MONITORING_COLUMNS, POOL_COLUMNS, SPECS
from registry.models import (
    Enterprise,
    ImportJob,
    MonitoringReport,
    MonitoringReportTransition,
    PoolEntry,
)
from registry.services import (
    enterprise_register,
    import_job_confirm,
    import_job_create,
    import_job_restart,
    import_job_run,
    import_job_validate,
)
from registry.services import imports as import_services
from registry.services.pool import pool_entry_admit
from registry.uscc import AUTHORITIES, check_character
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.workbooks import open_workbook, rows_of, sheet_upload, upload

EnterpriseEvent = Enterprise.pgh_event_model
ReportEvent = MonitoringReport.pgh_event_model
PoolEvent = PoolEntry.pgh_event_model
INDEX = reverse("registry:import-index")
NOT_FOUND = import_services.NOT_FOUND


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_celery(settings):
    """Run tasks in the test's process, as a worker would, once enqueued on commit."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def enterprise_record(**overrides):
    record = {
        "uscc": make_uscc("620102"),
        "name": "兰州新材料科技有限公司",
        "legal_representative": "李娜",
        "founded_on": datetime.date(2015, 3, 1),
        "region": "620102 兰州市城关区",
        "industry": "C35 专用设备制造业",
        "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子",
        "address": "兰州市城关区雁滩路1号",
        "contact_name": "王强",
        "contact_phone": "0931-8888888",
        "contact_email": "wq@example.cn",
    }
    record.update(overrides)
    return record


def enterprise_file(*records, **options):
    return sheet_upload(ENTERPRISE_COLUMNS, rows_of(ENTERPRISE_COLUMNS, records), **options)


def writes():
    return (
        Enterprise.objects.count(), EnterpriseEvent.objects.count(),
        MonitoringReport.objects.count(), ReportEvent.objects.count(),
        PoolEntry.objects.count(), PoolEvent.objects.count(),
    )


def errors_by_cell(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def codes_by_cell(job):
    return {(e["row"], e["column"]): e["code"] for e in job.errors}


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ImportKind))
def test_template_has_chinese_headers_with_units_a_notes_sheet_and_drop_downs(
    client, county_user, kind
):
    client.force_login(county_user)

    response = client.get(reverse("registry:import-template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = open_workbook(response)
    data = book.worksheets[0]
    headers = [cell.value for cell in data[1]]
    assert headers == [c.header for c in SPECS[kind].columns]
    assert NOTES_SHEET in book.sheetnames
    notes = "\n".join(str(c.value) for row in book[NOTES_SHEET].iter_rows() for c in row if c.value)
    for column in SPECS[kind].columns:
        assert column.header in notes
    lists = [v.formula1 for v in data.data_validations.dataValidation]
    if kind == ImportKind.MONITORING:
        assert "营业收入（万元）" in headers
        assert "从业人员（人）" in headers
        assert '"年报,季报,月报"' in lists
    if kind == ImportKind.POOL:
        assert '"县级库,市级库,省级库"' in lists


def test_the_region_list_of_the_template_holds_only_the_regions_in_scope(client, county_user):
    client.force_login(county_user)

    book = open_workbook(client.get(reverse("registry:import-template", args=["enterprises"])))

    regions = book["地区代码"]
    assert regions.sheet_state == "hidden"
    assert [row[0].value for row in regions.iter_rows()] == ["620102 兰州市城关区"]
    formulas = [v.formula1 for v in book.worksheets[0].data_validations.dataValidation]
    assert "'地区代码'!$A$1:$A$1" in formulas


def test_the_monitoring_template_can_come_pre_filled_with_the_firms_and_the_period(
    client, county_user
):
    firms = EnterpriseFactory.create_batch(2)
    EnterpriseFactory(is_active=False)
    EnterpriseFactory(region=region("620103"))  # another county's firm
    client.force_login(county_user)

    response = client.get(
        reverse("registry:import-template", args=["monitoring"]),
        {"period_kind": "month", "year": 2025, "period": 11},
    )

    assert response.status_code == 200
    assert "2025" in response["Content-Disposition"]
    sheet = open_workbook(response).worksheets[0]
    rows = [[cell.value for cell in row[:5]] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        [firm.uscc, firm.name, 2025, "月报", 11]
        for firm in sorted(firms, key=lambda f: f.uscc)
    ]


def test_a_pre_filled_template_with_figures_typed_in_imports_as_is(client, county_user):
    firm = EnterpriseFactory()
    client.force_login(county_user)
    response = client.get(
        reverse("registry:import-template", args=["monitoring"]),
        {"period_kind": "year", "year": 2024},
    )
    book = open_workbook(response)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[2]][:5] == [firm.uscc, firm.name, 2024, "年报", None]
    sheet.cell(row=2, column=MONITORING_COLUMNS.index(
        next(c for c in MONITORING_COLUMNS if c.key == "operating_revenue")) + 1, value=2400.5)
    buffer = io.BytesIO()
    book.save(buffer)

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING, upload=upload(buffer.getvalue())
    )

    assert job.status == ImportStatus.READY, job.errors
    import_job_confirm(actor=county_user, job=job)
    report = MonitoringReport.objects.get(enterprise=firm)
    assert (report.period_kind, report.year, report.period) == ("year", 2024, 0)
    assert report.operating_revenue == Decimal("2400.50")


def test_a_wrong_period_for_the_template_shows_every_field_error_at_once(client, county_user):
    client.force_login(county_user)

    response = client.get(
        reverse("registry:import-template", args=["monitoring"]),
        {"period_kind": "quarter", "year": 1990, "period": 5},
    )

    assert response.status_code == 400
    form = response.context["period_form"]
    assert form.has_error("year", "min_value")
    assert form.has_error("period", "period_out_of_range")


# --- enterprises: validate, confirm, re-upload ------------------------------------------------


def test_a_valid_upload_is_validated_without_writing_anything(county_user):
    before = writes()

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(enterprise_record(), enterprise_record(
            uscc=make_uscc("620102"), name="兰州第二精密有限公司")),
    )

    assert job.status == ImportStatus.READY
    assert job.row_count == 2
    assert job.summary["created"] == 2
    assert job.errors == []
    assert writes() == before


def test_confirming_writes_every_row_through_the_registration_service(county_user):
    record = enterprise_record()
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(record)
    )

    job = import_job_confirm(actor=county_user, job=job)

    assert job.status == ImportStatus.DONE
    assert job.summary["created"] == 1
    enterprise = Enterprise.objects.get(uscc=record["uscc"])
    assert enterprise.name == record["name"]
    assert enterprise.region.code == "620102"
    assert enterprise.industry.code == "C35"
    assert enterprise.founded_on == datetime.date(2015, 3, 1)
    assert enterprise.contact_phone == "0931-8888888"
    assert enterprise.created_by == county_user
    assert EnterpriseEvent.objects.filter(pgh_obj=enterprise).count() == 1


def test_uploading_the_same_file_again_reports_unchanged_and_writes_nothing(county_user):
    records = [enterprise_record(), enterprise_record(uscc=make_uscc("620102"), name="二号公司")]
    first = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*records)
    )
    import_job_confirm(actor=county_user, job=first)
    before = writes()

    again = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*records)
    )
    assert again.summary == {**again.summary, "created": 0, "updated": 0, "unchanged": 2}
    again = import_job_confirm(actor=county_user, job=again)

    assert again.status == ImportStatus.DONE
    assert again.summary["unchanged"] == 2
    assert writes() == before


def test_a_changed_row_updates_only_its_changed_fields(county_user):
    enterprise = EnterpriseFactory()
    record = enterprise_record(
        uscc=enterprise.uscc, name=enterprise.name, legal_representative="张伟",
        founded_on=enterprise.founded_on, niche_market="新的细分市场",
        main_products=enterprise.main_products, address="", contact_name="", contact_phone="",
        contact_email="",
    )

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(record)
    )
    assert job.summary["updated"] == 1
    import_job_confirm(actor=county_user, job=job)

    enterprise.refresh_from_db()
    assert enterprise.niche_market == "新的细分市场"
    [event] = AuditEvent.objects.tracks(enterprise).filter(pgh_label="update")
    assert set(event.pgh_diff) == {"niche_market", "updated_at"}


def test_every_bad_cell_and_row_is_reported_and_nothing_is_written(county_user):
    taken = EnterpriseFactory()
    good = enterprise_record()
    before = writes()
    wrong_check = make_uscc("620102")[:17] + "0"
    wrong_check = wrong_check if wrong_check != make_uscc("620102") else wrong_check[:17] + "1"

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(
            good,
            enterprise_record(uscc=good["uscc"], name="重复"),  # row 3: same code as row 2
            enterprise_record(region="620502 天水市秦州区"),  # row 4: outside the county
            enterprise_record(name="", founded_on="2015-13-40"),  # row 5: two bad cells
            enterprise_record(industry="Z99"),  # row 6: unknown industry
            enterprise_record(uscc=taken.uscc, region="620103"),  # row 7: another county
        ),
    )

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job) == {
        (3, "A"): "duplicate_row",
        (4, "E"): "region_out_of_scope",
        (5, "B"): "required",
        (5, "D"): "not_a_date",
        (6, "F"): "unknown_code",
        (7, "E"): "region_out_of_scope",
    }
    duplicate = next(e for e in job.errors if e["code"] == "duplicate_row")
    assert "2" in duplicate["message"]
    assert "Z99" in errors_by_cell(job)[(6, "F")]
    assert job.summary["error_rows"] == 5
    assert writes() == before
    with pytest.raises(InvalidTransition):
        import_job_confirm(actor=county_user, job=job)
    assert writes() == before


def test_the_import_accepts_every_defined_authority_and_type_pair(county_user):
    pairs = [a + k for a, (_, kinds) in AUTHORITIES.items() for k in kinds]
    codes = [p + "620102MA71T4YW8" for p in pairs]
    records = [enterprise_record(uscc=c + check_character(c), name=f"企业{i}")
               for i, c in enumerate(codes)]

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*records)
    )

    assert job.errors == []
    assert job.summary["created"] == len(pairs)


def test_the_import_refuses_what_the_form_refuses_and_removes_no_inner_space(county_user):
    before = writes()

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(
            enterprise_record(uscc="01620100719023721X"),
            enterprise_record(uscc="Y2620100719023721U"),
            enterprise_record(uscc="91620105 MA71T4YW8Q"),
            enterprise_record(uscc="91620105\tMA71T4YW8Q"),
            enterprise_record(uscc=" 91620105ma71t4yw8q\u3000"),  # outer spaces, lower case
        ),
    )

    assert codes_by_cell(job) == {
        (2, "A"): "uscc_authority",
        (3, "A"): "uscc_entity_type",
        (4, "A"): "uscc_length",
        (5, "A"): "uscc_length",
    }
    assert writes() == before


def test_the_annotated_workbook_marks_each_bad_cell_and_explains_it(client, county_user):
    client.force_login(county_user)
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(enterprise_record(), enterprise_record(name="")),
    )

    response = client.get(reverse("registry:import-job-annotated", args=[job.pk]))

    assert response.status_code == 200
    sheet = open_workbook(response).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[-1] == ERRORS_HEADER
    error_column = len(headers)
    assert sheet.cell(row=2, column=error_column).value is None
    assert "企业名称" in sheet.cell(row=3, column=error_column).value
    assert sheet["B3"].fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
    assert sheet["A3"].fill.fgColor.rgb != sheet["B3"].fill.fgColor.rgb


def test_the_annotated_workbook_can_be_fixed_and_uploaded_again(client, county_user):
    client.force_login(county_user)
    record = enterprise_record()
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file({**record, "name": ""}),
    )
    book = open_workbook(client.get(reverse("registry:import-job-annotated", args=[job.pk])))
    book.worksheets[0]["B2"] = record["name"]
    buffer = io.BytesIO()
    book.save(buffer)

    again = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=upload(buffer.getvalue())
    )

    assert again.status == ImportStatus.READY, again.errors
    assert again.summary["created"] == 1


def test_rows_changed_between_validation_and_confirmation_stop_the_whole_import(
    county_user, other_county_user
):
    first, second = enterprise_record(), enterprise_record(uscc=make_uscc("620102"), name="二号")
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(first, second)
    )
    # Meanwhile the neighbouring county registers the second firm through the form.
    enterprise_register(
        actor=other_county_user, uscc_code=second["uscc"], name="二号",
        legal_representative="李娜", founded_on=datetime.date(2015, 3, 1), region=region("620103"),
        industry=Enterprise._meta.get_field("industry").related_model.objects.get(code="C35"),
        main_products="x",
    )
    before = writes()

    job = import_job_confirm(actor=county_user, job=job)

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job)[(3, "A")] == "uscc_taken"
    assert writes() == before
    assert not Enterprise.objects.filter(uscc=first["uscc"]).exists()


def test_a_failure_in_the_middle_of_writing_leaves_nothing_written(county_user, monkeypatch):
    records = [enterprise_record(uscc=make_uscc("620102"), name=f"公司{i}") for i in range(3)]
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*records)
    )
    calls = []
    register = import_services.enterprise_register

    def dies_on_the_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("worker lost its database connection")
        return register(**kwargs)

    monkeypatch.setattr(import_services, "enterprise_register", dies_on_the_third)
    before = writes()
    with monkeypatch.context() as held:
        held.setattr(outbox, "after_commit", lambda callback: None)
        import_job_confirm(actor=county_user, job=job)

    with pytest.raises(RuntimeError):
        import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "RuntimeError" in job.failure
    assert writes() == before


def test_a_failed_job_is_validated_again_when_restarted(
    county_user, eager_celery, django_capture_on_commit_callbacks
):
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(enterprise_record())
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, failure="boom")

    with django_capture_on_commit_callbacks(execute=True):
        import_job_restart(actor=county_user, job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    assert job.failure == ""


# --- large files: Celery, progress, restart ---------------------------------------------------


@pytest.fixture
def sends_held(monkeypatch):
    """What the outbox is asked for stays in it, as if the broker were down, until drained."""
    from gansu_sme import outbox

    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)


def three_firms():
    return [enterprise_record(uscc=make_uscc("620102"), name=f"大文件公司{i}") for i in range(3)]


def test_every_file_is_read_validated_and_written_by_tasks_sent_through_the_outbox(
    county_user, sends_held
):
    from gansu_sme.models import OutboxMessage
    from gansu_sme.outbox import outbox_drain

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*three_firms())
    )
    assert job.status == ImportStatus.VALIDATING
    assert job.row_count == 0  # not read in the web process
    [message] = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert (message.task, message.args) == ("registry.tasks.import_job_validate_task", [job.pk])

    assert outbox_drain() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    assert (job.row_count, job.summary["created"]) == (3, 3)
    assert Enterprise.objects.count() == 0

    job = import_job_confirm(actor=county_user, job=job)
    assert job.status == ImportStatus.IMPORTING
    assert outbox_drain() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Enterprise.objects.count() == 3
    assert job.progress == 3
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_job_whose_worker_died_is_run_again_all_or_nothing(county_user, monkeypatch):
    from gansu_sme import outbox

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*three_firms())
    )
    # Confirmed, but the worker died before writing anything: the task is never run.
    with monkeypatch.context() as held:
        held.setattr(outbox, "after_commit", lambda callback: None)
        job = import_job_confirm(actor=county_user, job=job)
    assert job.status == ImportStatus.IMPORTING
    assert Enterprise.objects.count() == 0

    import_job_restart(actor=county_user, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Enterprise.objects.count() == 3
    before = writes()

    # A late redelivery of the first task finds the job done and writes nothing.
    import_job_run(job_id=job.pk)
    import_job_validate(job_id=job.pk)
    assert writes() == before


def test_a_job_whose_reader_keeps_dying_is_given_up_not_read_for_ever(county_user, sends_held):
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*three_firms())
    )
    # Each run that a worker did not survive left its attempt counted.
    ImportJob.objects.filter(pk=job.pk).update(attempts=import_services.MAX_ATTEMPTS)

    import_job_validate(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure == "worker lost"


def test_the_status_partial_shows_progress_and_refreshes_the_page_when_done(
    client, county_user, sends_held
):
    client.force_login(county_user)
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(*three_firms())
    )
    status_url = reverse("registry:import-job-status", args=[job.pk])

    page = client.get(reverse("registry:import-job", args=[job.pk]))
    partial = client.get(status_url, headers={"HX-Request": "true"})

    assert f'hx-get="{status_url}"' in page.text
    assert "<progress" in partial.text
    assert "HX-Refresh" not in partial

    import_job_validate(job_id=job.pk)
    finished = client.get(status_url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_progress_is_read_from_the_cache_while_a_worker_holds_the_job(county_user):
    job = ImportJob.objects.create(
        kind=ImportKind.ENTERPRISES, status=ImportStatus.IMPORTING, file="imports/x.xlsx",
        filename="x.xlsx", sha256="0" * 64, row_count=5000, uploaded_by=county_user,
    )
    import_services._set_progress(job.pk, 1200)

    assert import_services.import_job_progress(job) == 1200


# --- who sees and runs jobs -------------------------------------------------------------------


def test_jobs_are_seen_and_confirmed_only_by_their_uploader(client, county_user, city_user):
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=enterprise_file(enterprise_record())
    )
    client.force_login(city_user)

    assert client.get(reverse("registry:import-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("registry:import-job-annotated", args=[job.pk])).status_code == 404
    assert client.post(reverse("registry:import-job-confirm", args=[job.pk])).status_code == 404
    with pytest.raises(OutOfScope):
        import_job_confirm(actor=city_user, job=job)
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize("role", [Role.EXPERT, Role.API_CLIENT, Role.AUDITOR])
def test_roles_that_keep_no_data_cannot_open_the_import_pages(client, db, role):
    account = UserFactory(role=role, region=None if role == Role.EXPERT else region("620000"))
    client.force_login(account)

    assert client.get(INDEX).status_code == 403
    template = reverse("registry:import-template", args=["enterprises"])
    assert client.get(template).status_code == 403


def test_provincial_reviewers_import_pool_entries_only(client, province_user):
    client.force_login(province_user)

    page = client.get(INDEX)

    assert page.status_code == 200
    assert reverse("registry:import-upload", args=["pool"]) in page.text
    assert reverse("registry:import-upload", args=["enterprises"]) not in page.text
    url = reverse("registry:import-upload", args=["enterprises"])
    assert client.get(url).status_code == 404


# --- the wizard pages -------------------------------------------------------------------------


def test_the_wizard_uploads_reports_confirms_and_lists_the_job(client, county_user):
    client.force_login(county_user)
    record = enterprise_record()

    response = client.post(
        reverse("registry:import-upload", args=["enterprises"]),
        {"file": enterprise_file(record)},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import-job", args=[job.pk])
    page = client.get(response["Location"])
    assert 'id="confirm-import"' in page.text
    assert 'data-outcome="created"><strong>1</strong>' in page.text

    response = client.post(reverse("registry:import-job-confirm", args=[job.pk]), follow=True)

    assert 'id="import-result"' in response.text
    assert Enterprise.objects.filter(uscc=record["uscc"]).exists()
    index = client.get(INDEX)
    assert job.filename in index.text
    assert reverse("registry:import-job", args=[job.pk]) in index.text


def test_the_report_page_lists_every_error_with_row_column_value_and_message(client, county_user):
    client.force_login(county_user)
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(enterprise_record(industry="Z99"), enterprise_record(name="")),
    )

    page = client.get(reverse("registry:import-job", args=[job.pk]))

    assert 'id="error-table"' in page.text
    assert "Z99" in page.text
    assert 'data-row="2" data-column="F" data-code="unknown_code"' in page.text
    assert 'data-row="3" data-column="B" data-code="required"' in page.text
    for error in job.errors:
        assert error["messages"]["zh-hans"] in page.text
    assert reverse("registry:import-job-annotated", args=[job.pk]) in page.text


def test_an_english_page_and_marked_workbook_give_the_errors_in_english(client, county_user):
    client.force_login(county_user)
    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(enterprise_record(name="")),
    )
    [error] = job.errors
    english = {"accept-language": "en"}

    page = client.get(reverse("registry:import-job", args=[job.pk]), headers=english)
    marked = open_workbook(
        client.get(reverse("registry:import-job-annotated", args=[job.pk]), headers=english)
    ).worksheets[0]

    assert error["messages"]["en"] in page.text
    assert error["messages"]["zh-hans"] not in page.text
    assert error["messages"]["en"] in marked.cell(row=2, column=len(ENTERPRISE_COLUMNS) + 1).value


def test_the_notes_read_in_the_page_language_and_in_chinese_on_the_template(client, county_user):
    client.force_login(county_user)
    note = SPECS[ImportKind.MONITORING].notes[-1]
    english = {"accept-language": "en"}

    page = client.get(reverse("registry:import-upload", args=["monitoring"]), headers=english)
    book = open_workbook(
        client.get(reverse("registry:import-template", args=["monitoring"]), headers=english)
    )

    with translation.override("en"):
        assert str(note) in page.text
    with translation.override("zh-hans"):
        chinese = str(note)
    assert chinese not in page.text
    assert chinese in [row[1].value for row in book[NOTES_SHEET].iter_rows()]


def test_the_nav_links_to_the_import_wizard_for_staff(client, county_user):
    client.force_login(county_user)

    assert f'href="{INDEX}"' in client.get(reverse("home")).text


# --- monitoring reports -----------------------------------------------------------------------


def column_of(key):
    """The letter of the monitoring template's column ``key``."""
    return get_column_letter(1 + [c.key for c in MONITORING_COLUMNS].index(key))


def report_record(enterprise, **overrides):
    record = {
        "uscc": enterprise.uscc,
        "enterprise_name": enterprise.name,
        "year": 2024,
        "period_kind": "年报",
        "period": None,
        "operating_revenue": 2400.5,
        "main_business_revenue": 2300,
        "output_value": 2500,
        "taxes": 96,
        "total_profit": -12.5,
        "net_profit": -15,
        "total_assets": 3600,
        "total_liabilities": 1500,
        "employees": 320,
        "rd_staff": 40,
        "rd_expense": 110,
        "patents_class1": 3,
        "patents_class2": 12,
        "land_area": 45.5,
        "energy_consumption": 860,
        "export_value": 0,
        "safety_incidents": 0,
        "quality_incidents": 0,
        "environmental_incidents": 0,
        "uses_digital_rd_tools": "是",
        "cnc_ratio": 62.5,
        "uses_cloud": "否",
        "uses_ecommerce": "是",
    }
    record.update(overrides)
    return record


def report_file(*records):
    return sheet_upload(MONITORING_COLUMNS, rows_of(MONITORING_COLUMNS, records))


def test_monitoring_reports_are_imported_as_drafts_keyed_by_code_and_period(county_user):
    firm = EnterpriseFactory()
    records = [
        report_record(firm),
        report_record(firm, period_kind="季报", period=2, operating_revenue=600),
        report_record(firm, period_kind="月报", period=5, operating_revenue=200),
    ]
    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING, upload=report_file(*records)
    )
    assert job.status == ImportStatus.READY, job.errors
    assert MonitoringReport.objects.count() == 0

    job = import_job_confirm(actor=county_user, job=job)

    assert job.summary["created"] == 3
    annual = MonitoringReport.objects.get(enterprise=firm, period_kind="year")
    assert annual.status == ReportStatus.DRAFT
    assert annual.period == 0
    assert annual.operating_revenue == Decimal("2400.50")
    assert annual.total_profit == Decimal("-12.50")
    assert annual.employees == 320
    assert annual.uses_digital_rd_tools is True
    assert annual.uses_cloud is False
    assert MonitoringReport.objects.get(period_kind="month").period == 5


def test_the_same_monitoring_file_again_is_unchanged_and_writes_nothing(county_user):
    firms = EnterpriseFactory.create_batch(3)
    upload_again = [report_record(firm) for firm in firms]
    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING, upload=report_file(*upload_again)
    )
    import_job_confirm(actor=county_user, job=job)
    before = writes()
    transitions = MonitoringReport.objects.get(enterprise=firms[0]).transitions.count()

    again = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING, upload=report_file(*upload_again)
    )
    again = import_job_confirm(actor=county_user, job=again)

    assert again.summary["unchanged"] == 3
    assert again.summary["created"] == again.summary["updated"] == 0
    assert writes() == before
    assert MonitoringReport.objects.get(enterprise=firms[0]).transitions.count() == transitions


def test_monitoring_errors_are_reported_at_their_cells(county_user, tianshui_enterprise):
    firm = EnterpriseFactory()
    before = writes()

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(
            report_record(firm, operating_revenue=-5),  # row 2: negative money
            report_record(firm, period_kind="季报", period=7),  # row 3: no 7th quarter
            report_record(firm, period_kind="半年报"),  # row 4: not a period kind
            report_record(firm, period_kind="月报", period=1, employees=3.5),  # row 5: not whole
            report_record(tianshui_enterprise),  # row 6: another city's firm
            report_record(firm, uscc=make_uscc("620102")),  # row 7: not registered
            report_record(firm, year=2099),  # row 8: not begun
        ),
    )

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job) == {
        (2, column_of("operating_revenue")): "negative",
        (3, "E"): "period_out_of_range",
        (4, "D"): "not_in_list",
        (5, column_of("employees")): "not_a_count",
        (6, "A"): NOT_FOUND,
        (7, "A"): NOT_FOUND,
        (8, "E"): "period_not_begun",
    }
    assert writes() == before


def test_every_bad_cell_of_a_monitoring_row_is_reported_at_once_each_with_its_column(
    county_user
):
    firm = EnterpriseFactory()

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(report_record(
            firm, period_kind="半年报", operating_revenue="abc", employees=-5, cnc_ratio=120,
        )),
    )

    assert codes_by_cell(job) == {
        (2, "D"): "not_in_list",
        (2, column_of("operating_revenue")): "not_a_number",
        (2, column_of("employees")): "not_a_count",
        (2, column_of("cnc_ratio")): "not_a_percentage",
    }
    headers = {e["column"]: e["header"] for e in job.errors}
    assert headers[column_of("employees")] == "从业人员（人）"
    for error in job.errors:
        # The column is named once, beside the message, not again inside it.
        assert error["header"] not in error["messages"]["zh-hans"]
        assert set(error["messages"]) == {"zh-hans", "en"}


def test_a_row_refused_by_its_cells_is_still_judged_by_the_service_on_the_others(county_user):
    wrong_check = make_uscc("620102")
    wrong_check = wrong_check[:17] + ("0" if wrong_check[17] != "0" else "1")

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES,
        upload=enterprise_file(enterprise_record(
            uscc=wrong_check, founded_on="2015-13-40", industry="Z99",
            contact_email="not an address",
        )),
    )

    codes = codes_by_cell(job)
    assert set(codes) == {(2, "A"), (2, "D"), (2, "F"), (2, "L")}
    assert codes[(2, "A")].startswith("uscc_")
    assert (codes[(2, "D")], codes[(2, "F")], codes[(2, "L")]) == (
        "not_a_date", "unknown_code", "invalid"
    )
    assert not Enterprise.objects.exists()


def test_an_enterprise_outside_scope_reads_exactly_like_an_unknown_code(
    county_user, other_county_user
):
    neighbour = EnterpriseFactory(region=region("620103"))

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(
            report_record(neighbour), report_record(neighbour, uscc=make_uscc("620103"))
        ),
    )

    first, second = job.errors
    assert first["code"] == second["code"] == NOT_FOUND
    assert first["messages"] == second["messages"]
    assert (first["column"], second["column"]) == ("A", "A")


def test_data_quality_flags_are_shown_and_do_not_block(county_user):
    firm = EnterpriseFactory()

    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(report_record(firm, rd_expense=99999, operating_revenue=100)),
    )

    assert job.status == ImportStatus.READY
    assert job.summary["warnings"]
    assert job.summary["warnings"][0]["row"] == 2


def test_validating_monitoring_reports_writes_nothing_and_still_reports_flags(county_user):
    firm, other = EnterpriseFactory(), EnterpriseFactory()
    import_job_confirm(actor=county_user, job=import_job_create(
        actor=county_user, kind=ImportKind.MONITORING, upload=report_file(report_record(firm)),
    ))
    before = writes(), MonitoringReportTransition.objects.count()
    stored = list(MonitoringReport.objects.values())

    with CaptureQueriesContext(connection) as queries:
        job = import_job_create(
            actor=county_user, kind=ImportKind.MONITORING,
            upload=report_file(
                report_record(firm, rd_expense=99999),
                report_record(other, rd_expense=99999, operating_revenue=100),
            ),
        )

    assert job.status == ImportStatus.READY, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (1, 1)
    assert {w["row"] for w in job.summary["warnings"]} == {2, 3}
    assert "研发费用" in job.summary["warnings"][0]["message"]
    assert (writes(), MonitoringReportTransition.objects.count()) == before
    assert list(MonitoringReport.objects.values()) == stored
    # Checked without writing, rather than written and rolled back.
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'INSERT INTO "registry_monitoringreport' not in sql
    assert 'UPDATE "registry_monitoringreport' not in sql


def test_the_job_page_says_each_flag_in_the_readers_language(client, county_user):
    firm = EnterpriseFactory()
    job = import_job_create(
        actor=county_user, kind=ImportKind.MONITORING,
        upload=report_file(report_record(firm, rd_expense=99999)),
    )
    assert job.summary["warnings"]
    client.force_login(county_user)
    url = reverse("registry:import-job", args=[job.pk])
    chinese = client.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert "研发费用" in chinese
    warnings = english[english.index('id="import-warnings"'):]
    assert "R&amp;D" in warnings or "R&D" in warnings
    assert "研发费用" not in warnings


# --- pool entries -----------------------------------------------------------------------------


def pool_record(enterprise, **overrides):
    record = {
        "uscc": enterprise.uscc,
        "enterprise_name": enterprise.name,
        "pool": "专精特新培育库",
        "tier": "县级库",
        "track": "创新型中小企业",
        "admission_year": 2025,
        "admission_reason": "细分市场占有率居全省前列",
        "category": None,
        "category_override_reason": None,
        "statistics_registered": None,
        "contact_officer": "赵敏",
        "contact_officer_phone": "0931-1234567",
    }
    record.update(overrides)
    return record


def pool_file(*records):
    return sheet_upload(POOL_COLUMNS, rows_of(POOL_COLUMNS, records))


def test_pool_entries_are_admitted_then_updated_and_unchanged_on_reupload(county_user):
    firm = EnterpriseFactory()
    job = import_job_create(
        actor=county_user, kind=ImportKind.POOL, upload=pool_file(pool_record(firm))
    )
    assert job.status == ImportStatus.READY, job.errors
    import_job_confirm(actor=county_user, job=job)
    entry = PoolEntry.objects.get(enterprise=firm)
    assert (entry.pool, entry.tier, entry.track) == (PoolKind.ZJTX, PoolTier.COUNTY, "innovative")
    assert entry.transitions.count() == 1
    before = writes()

    again = import_job_create(
        actor=county_user, kind=ImportKind.POOL, upload=pool_file(pool_record(firm))
    )
    again = import_job_confirm(actor=county_user, job=again)
    assert again.summary["unchanged"] == 1
    assert writes() == before

    changed = import_job_create(
        actor=county_user, kind=ImportKind.POOL,
        upload=pool_file(pool_record(firm, contact_officer="钱进")),
    )
    changed = import_job_confirm(actor=county_user, job=changed)
    assert changed.summary["updated"] == 1
    entry.refresh_from_db()
    assert entry.contact_officer == "钱进"


def test_a_tier_change_is_refused_because_promotion_has_its_own_page(county_user, city_user):
    firm = EnterpriseFactory()
    pool_entry_admit(
        actor=county_user, enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY,
        admission_year=2025, admission_reason="细分市场占有率居全省前列",
    )

    job = import_job_create(
        actor=city_user, kind=ImportKind.POOL,
        upload=pool_file(pool_record(firm, tier="市级库", track=None)),
    )

    assert job.status == ImportStatus.INVALID
    assert codes_by_cell(job) == {(2, "D"): "pool_fixed_field"}


def test_county_staff_cannot_admit_at_city_tier_by_import(county_user):
    firm = EnterpriseFactory()

    job = import_job_create(
        actor=county_user, kind=ImportKind.POOL, upload=pool_file(pool_record(firm, tier="市级库"))
    )

    assert job.status == ImportStatus.INVALID
    assert "层级" in job.errors[0]["message"]
    assert PoolEntry.objects.count() == 0
