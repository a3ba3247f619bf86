"""Application pages through HTTP: queues and task lists with overdue flags, scoping (404),
roles (403), the nomination form with its live pre-check, the detail page and its actions."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus as S
from certification.choices import AttachmentKind, FilingLevel
from certification.models import Application, ApplicationTransition
from certification.services.attachments import attachment_add
from tests.factories.applications import ApplicationFactory, open_campaign, upload
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]
LIST = reverse("certification:application-list")
TASKS = reverse("certification:tasks")
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail(application):
    return reverse("certification:application-detail", args=[application.pk])


def shown(response):
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-application="(\d+)"', response.content.decode())}


def test_the_queue_shows_only_applications_in_the_users_region(
    client, county_user, city_user, enterprise, tianshui_enterprise
):
    mine = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)
    theirs = ApplicationFactory(enterprise=tianshui_enterprise, status=S.SUBMITTED)

    client.force_login(city_user)
    assert shown(client.get(LIST)) == {mine.pk}
    client.force_login(county_user)
    assert client.get(detail(theirs)).status_code == 404


def test_the_queue_filters_by_status_region_campaign_and_overdue(client, province_user):
    campaign = open_campaign()
    late = ApplicationFactory(campaign=campaign, status=S.SUBMITTED, stage_due=YESTERDAY)
    on_time = ApplicationFactory(
        status=S.COUNTY_REVIEWED, stage_due=timezone.localdate(),
        enterprise=EnterpriseFactory(region=region("620502")),
    )
    client.force_login(province_user)

    assert shown(client.get(LIST, {"overdue": "true"})) == {late.pk}
    assert shown(client.get(LIST, {"overdue": "false"})) == {on_time.pk}
    assert shown(client.get(LIST, {"status": "county_reviewed"})) == {on_time.pk}
    assert shown(client.get(LIST, {"region": "620500"})) == {on_time.pk}
    assert shown(client.get(LIST, {"campaign": campaign.pk})) == {late.pk}
    page = client.get(LIST).content.decode()
    assert page.count('data-overdue="') == 1


def test_the_queue_costs_the_same_queries_for_3_or_30_rows(
    client, province_user, django_assert_max_num_queries
):
    client.force_login(province_user)
    ApplicationFactory.create_batch(3, status=S.SUBMITTED)
    with django_assert_max_num_queries(30) as few:
        client.get(LIST)
    ApplicationFactory.create_batch(27, status=S.SUBMITTED)
    with django_assert_max_num_queries(30) as many:
        client.get(LIST)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_each_official_sees_what_waits_for_them(
    client, county_user, city_user, province_user, enterprise
):
    draft = ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    submitted = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED, stage_due=YESTERDAY)
    reviewed = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    city_filed = ApplicationFactory(
        enterprise=enterprise, status=S.SUBMITTED, filing_level=FilingLevel.CITY
    )
    recommended = ApplicationFactory(enterprise=enterprise, status=S.CITY_RECOMMENDED)
    noticed = ApplicationFactory(enterprise=enterprise, status=S.PUBLIC_NOTICE)
    ApplicationFactory(enterprise=enterprise, status=S.CERTIFIED)

    client.force_login(county_user)
    response = client.get(TASKS)
    assert shown(response) == {draft.pk, submitted.pk}
    # Overdue first.
    assert re.findall(r'data-application="(\d+)"', response.content.decode())[0] == str(
        submitted.pk
    )
    assert '<span class="nav-count">2</span>' in response.content.decode()
    client.force_login(city_user)
    assert shown(client.get(TASKS)) == {reviewed.pk, city_filed.pk}
    client.force_login(province_user)
    assert shown(client.get(TASKS)) == {recommended.pk, noticed.pk}


def test_the_detail_page_shows_timeline_evidence_and_the_owners_buttons(
    client, county_user, city_user, enterprise
):
    application = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)
    attachment_add(
        actor=county_user, application=application, kind=AttachmentKind.PAPER_APPLICATION,
        upload=upload(),
    )
    client.force_login(county_user)

    page = client.get(detail(application)).content.decode()

    assert 'data-verb="review"' in page and 'data-verb="return"' in page
    assert 'data-verb="withdraw"' in page
    assert "申报书.pdf" in page
    client.force_login(city_user)
    page = client.get(detail(application)).content.decode()
    assert 'data-verb="' not in page


def test_actions_on_the_page_move_the_application_and_refuse_the_wrong_role(
    client, county_user, city_user, enterprise
):
    application = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)
    review = reverse("certification:application-review", args=[application.pk])

    client.force_login(city_user)
    assert client.post(review, {"expected_status": "submitted"}).status_code == 403
    client.force_login(county_user)
    response = client.post(review, {"expected_status": "submitted"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.COUNTY_REVIEWED

    # The same click again writes nothing more.
    client.post(review, {"expected_status": "submitted"})
    assert ApplicationTransition.objects.filter(application=application).count() == 1


def test_a_return_without_a_reason_shows_the_form_again(client, city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    client.force_login(city_user)
    url = reverse("certification:application-return", args=[application.pk])

    refused = client.post(url, {"expected_status": "county_reviewed", "return-reason": ""})
    done = client.post(url, {"expected_status": "county_reviewed", "return-reason": "补材料"})

    assert refused.status_code == 400
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_actions_on_applications_out_of_scope_are_not_found(
    client, other_county_user, enterprise
):
    application = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)
    client.force_login(other_county_user)

    url = reverse("certification:application-review", args=[application.pk])
    assert client.post(url).status_code == 404
    edit = reverse("certification:application-edit", args=[application.pk])
    assert client.get(edit).status_code == 404


def _sound(enterprise, actor, **last):
    VerifiedAnnualReportFactory(enterprise=enterprise, created_by=actor, year=2023,
                                main_business_revenue=D("7200"))
    VerifiedAnnualReportFactory(enterprise=enterprise, created_by=actor, year=2024,
                                main_business_revenue=D("8000"), rd_expense=D("500"))
    VerifiedAnnualReportFactory(enterprise=enterprise, created_by=actor, year=2025, **last)


def test_the_nomination_form_files_a_draft_with_manual_entries(client, county_user, enterprise):
    campaign = open_campaign()
    client.force_login(county_user)
    create = reverse("certification:application-create")

    assert campaign.title in client.get(create).content.decode()
    form_page = client.get(create, {"campaign": campaign.pk}).content.decode()
    assert 'name="item_I9"' in form_page and 'hx-post="' in form_page

    response = client.post(create, {
        "campaign": campaign.pk, "enterprise": enterprise.uscc.lower(), "summary": "破碎设备",
        "item_I9": "10", "evidence_I9": "甘肃特色指标评分表",
        "item_V4": "no", "evidence_V4": "信用中国查询截图",
    })

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.created_by == county_user
    assert application.manual_inputs == {
        "I9": {"points": "10", "evidence": "甘肃特色指标评分表"},
        "V4": {"met": False, "evidence": "信用中国查询截图"},
    }


def test_the_live_pre_check_shows_verdicts_reasons_and_figures_without_saving(
    client, county_user, enterprise
):
    campaign = open_campaign()
    _sound(enterprise, county_user, rd_expense=D("20"))
    application = ApplicationFactory(campaign=campaign, enterprise=enterprise, status=S.DRAFT)
    client.force_login(county_user)
    data = {"summary": "", "item_I9": "10", "evidence_I9": "评分表"}

    partial = client.post(
        reverse("certification:application-precheck", args=[application.pk]), data,
        HTTP_HX_REQUEST="true",
    ).content.decode()
    # Without JavaScript the "check" button posts the form page itself.
    full = client.post(
        reverse("certification:application-edit", args=[application.pk]), {**data, "check": "1"}
    ).content.decode()

    for page in (partial, full):
        assert 'data-item="C2"' in page
        assert "verdict-fail" in page
        assert "C2「" in page  # the reason names the failing condition
        assert "研发费用" in page  # the figures used are labelled
    assert "<html" not in partial and "<html" in full
    application.refresh_from_db()
    assert application.evaluation is None
    assert application.manual_inputs == {}


def test_the_pre_check_words_figures_and_tiers_as_the_score_sheet_does(
    client, county_user, enterprise
):
    campaign = open_campaign()
    _sound(enterprise, county_user)
    client.force_login(county_user)
    url = reverse("certification:precheck")
    form = {"campaign": campaign.pk, "enterprise": enterprise.uscc}

    pages = {
        language: client.post(
            url, form, HTTP_HX_REQUEST="true", headers={"Accept-Language": language}
        ).content.decode()
        for language in ("zh-hans", "en")
    }

    for page in pages.values():
        # No engine key (growth_2025, total_points …) and no raw ratio (0.0457…) is shown.
        assert not re.search(r"<dt>[a-z]+_[a-z0-9_]+</dt>", page)
        assert not re.search(r"<dd[^>]*>-?0\.\d{4,}</dd>", page)
    assert "研发费用占营业收入比重" in pages["zh-hans"]
    assert "R&amp;D expense share of operating revenue" in pages["en"]
    assert "及以上" in pages["zh-hans"]
    assert "及以上" not in pages["en"] and "or more" in pages["en"]


def test_the_pre_check_works_on_a_new_application_too(client, county_user, enterprise):
    campaign = open_campaign()
    _sound(enterprise, county_user)
    client.force_login(county_user)

    page = client.post(
        reverse("certification:precheck"),
        {"campaign": campaign.pk, "enterprise": enterprise.uscc},
        HTTP_HX_REQUEST="true",
    ).content.decode()

    assert 'data-item="C1"' in page
    assert not Application.objects.exists()


def test_only_filers_open_the_nomination_form(client, province_user):
    client.force_login(province_user)

    assert client.get(reverse("certification:application-create")).status_code == 403


def test_submitting_on_the_page_reports_a_failed_pre_check(client, county_user, enterprise):
    campaign = open_campaign()
    _sound(enterprise, county_user, rd_expense=D("20"))
    application = ApplicationFactory(campaign=campaign, enterprise=enterprise, status=S.DRAFT)
    attachment_add(
        actor=county_user, application=application, kind=AttachmentKind.PAPER_APPLICATION,
        upload=upload(),
    )
    client.force_login(county_user)

    response = client.post(
        reverse("certification:application-submit", args=[application.pk]),
        {"expected_status": "draft"}, follow=True,
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    application.refresh_from_db()
    assert application.status == S.DRAFT
