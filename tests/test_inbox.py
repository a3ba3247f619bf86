"""我的待办 (gansu_sme.inbox): what waits for each role, from the workflows' acts, in a
constant number of queries; the same list on the home page, in the menu badge and at
``GET /api/v1/tasks/``."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from certification.choices import ApplicationStatus, AssignmentStatus, FilingLevel
from certification.choices import ObjectionStatus as O
from gansu_sme.inbox import inbox_count, inbox_items
from registry.choices import ReportStatus
from subsidies import services
from subsidies.choices import BatchStatus
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import NoticeFactory, ObjectionFactory
from tests.factories.experts import ExpertAssignmentFactory, ExpertFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import region
from tests.factories.subsidies import accounts_for, budget, certificate, finance_officer

pytestmark = pytest.mark.django_db

S = ApplicationStatus
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def objection(notice, **fields):
    noticed = ApplicationFactory(status=S.PUBLIC_NOTICE, notice=notice)
    return ObjectionFactory(notice=notice, application=noticed, **fields)


def kinds(items):
    return sorted((item.kind, item.object_id) for item in items)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=Role.AUDITOR, region=region("620000"))


def test_county_staff_have_their_drafts_returned_reports_and_reports_to_verify(
    county_user, other_county_user, enterprise
):
    draft = ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    late = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED, stage_due=YESTERDAY)
    ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    returned = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.RETURNED)
    submitted = MonitoringReportFactory(
        enterprise=enterprise, status=ReportStatus.SUBMITTED, year=2023
    )
    MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.VERIFIED, year=2022)

    items = inbox_items(county_user)

    assert kinds(items) == sorted([
        ("application", draft.pk), ("application", late.pk),
        ("monitoring_report", returned.pk), ("monitoring_report", submitted.pk),
    ])
    assert (items[0].kind, items[0].object_id, items[0].overdue) == ("application", late.pk, True)
    assert items[0].url == reverse("certification:application-detail", args=[late.pk])
    assert items[0].status_label == str(S.SUBMITTED.label)
    assert inbox_items(other_county_user) == []


def test_city_staff_have_applications_to_recommend_and_projects_to_vouch_for(
    county_user, city_user, enterprise
):
    reviewed = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    city_filed = ApplicationFactory(
        enterprise=enterprise, status=S.SUBMITTED, filing_level=FilingLevel.CITY
    )
    ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)  # the county's
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=2025, title="技改", purpose="设备",
        amount_requested=100000, evidence="合同",
    )

    assert kinds(inbox_items(city_user)) == sorted([
        ("application", reviewed.pk), ("application", city_filed.pk),
        ("support_project", project.pk),
    ])


def test_provincial_reviewers_have_applications_notices_and_objections(
    province_user, enterprise
):
    recommended = ApplicationFactory(enterprise=enterprise, status=S.CITY_RECOMMENDED)
    accepted = ApplicationFactory(enterprise=enterprise, status=S.PROVINCE_ACCEPTED)
    notice = NoticeFactory()
    pending = objection(notice)
    objection(notice, status=O.DISMISSED, decided_by=province_user, decided_at=timezone.now(),
              decision_reason="不成立")

    found = kinds(inbox_items(province_user))

    assert ("application", recommended.pk) in found
    assert ("application", accepted.pk) in found
    assert ("notice", notice.pk) in found
    assert ("objection", pending.pk) in found
    assert len([k for k in found if k[0] == "objection"]) == 1


def test_an_expert_has_the_sheets_to_declare_and_to_score_and_nobody_elses(expert_user):
    expert = ExpertFactory(user=expert_user)
    assigned = ExpertAssignmentFactory(expert=expert, status=AssignmentStatus.ASSIGNED)
    declared = ExpertAssignmentFactory(expert=expert, status=AssignmentStatus.DECLARED)
    ExpertAssignmentFactory(expert=expert, status=AssignmentStatus.SUBMITTED, total=80)
    ExpertAssignmentFactory(status=AssignmentStatus.ASSIGNED)  # another expert's

    items = inbox_items(expert_user)

    assert kinds(items) == sorted([("score_sheet", assigned.pk), ("score_sheet", declared.pk)])
    assert items[0].url.startswith("/certification/assignments/")


@pytest.fixture
def finance(db):
    return finance_officer("finance")


@pytest.fixture
def finance2(db):
    return finance_officer("finance2")


def test_the_maker_builds_batches_and_the_checker_approves_them(finance, finance2, enterprise):
    first = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=first, budget=budget(finance))
    waiting_award = ("entitlement", first.pk)
    assert waiting_award in kinds(inbox_items(finance))

    batch = services.batch_create(actor=finance, title="第一批")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([first]))
    assert ("payment_batch", batch.pk) in kinds(inbox_items(finance))
    assert ("payment_batch", batch.pk) not in kinds(inbox_items(finance2))
    assert waiting_award not in kinds(inbox_items(finance))  # the batch waits instead

    services.batch_submit(actor=finance, batch=batch)
    assert ("payment_batch", batch.pk) not in kinds(inbox_items(finance))
    assert kinds(inbox_items(finance2)) == [("payment_batch", batch.pk)]

    services.batch_approve(actor=finance2, batch=batch)
    assert ("payment_batch", batch.pk) in kinds(inbox_items(finance))
    assert ("payment_batch", batch.pk) in kinds(inbox_items(finance2))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED


def test_an_auditor_reads_everything_open_and_acts_on_nothing(
    auditor, county_user, enterprise, expert_user
):
    draft = ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    report = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.SUBMITTED)
    ApplicationFactory(enterprise=enterprise, status=S.CERTIFIED)

    items = inbox_items(auditor)

    assert kinds(items) == sorted([("application", draft.pk), ("monitoring_report", report.pk)])
    assert all(item.read_only for item in items)
    assert not any(item.read_only for item in inbox_items(county_user))


def test_the_count_is_the_length_of_the_list(county_user, province_user, enterprise):
    ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    ApplicationFactory(enterprise=enterprise, status=S.CITY_RECOMMENDED)
    MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.DRAFT)

    for user in (county_user, province_user):
        assert inbox_count(user) == len(inbox_items(user)) > 0


def _fill(enterprise, expert, notice, years):
    for year in years:
        ApplicationFactory(enterprise=enterprise, status=S.CITY_RECOMMENDED)
        MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.SUBMITTED, year=year)
        ExpertAssignmentFactory(expert=expert, status=AssignmentStatus.ASSIGNED)
        objection(notice)


@pytest.mark.parametrize("role", ["county_user", "province_user", "expert_user", "auditor"])
def test_the_inbox_costs_the_same_queries_for_few_and_many_items(
    request, client, enterprise, expert_user, role
):
    user = request.getfixturevalue(role)
    expert = ExpertFactory(user=expert_user)
    notice = NoticeFactory()
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api-tasks")).status_code == 200
            assert client.get(reverse("inbox")).status_code == 200
        return len(captured)

    _fill(enterprise, expert, notice, [2000])
    queries()  # warm the caches (content types, translations)
    few = queries()
    _fill(enterprise, expert, notice, range(2001, 2007))
    many = queries()

    assert many == few
    assert len(inbox_items(user)) >= 7


def test_the_api_lists_the_same_items_with_their_page(client, county_user, enterprise):
    late = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED, stage_due=YESTERDAY)
    client.force_login(county_user)

    [task] = client.get(reverse("api-tasks")).json()

    assert task == {
        "kind": "application",
        "kind_label": task["kind_label"],
        "object_id": late.pk,
        "object": f"{enterprise.name} · {late.campaign.title}",
        "status": "submitted",
        "status_label": str(S.SUBMITTED.label),
        "due": YESTERDAY.isoformat(),
        "overdue": True,
        "url": f"http://testserver{reverse('certification:application-detail', args=[late.pk])}",
        "read_only": False,
    }


def test_the_api_refuses_anonymous_requests():
    from rest_framework.test import APIClient

    assert APIClient().get(reverse("api-tasks")).status_code in (401, 403)


def test_the_menu_badge_and_the_home_page_show_the_same_count(client, county_user, enterprise):
    ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.RETURNED)
    client.force_login(county_user)

    page = client.get(reverse("home")).text

    assert re.search(r'id="nav-tasks"[^>]*>[^<]*<span class="nav-count">2</span>', page)
    assert len(re.findall(r'class="inbox-item', page)) == 2
