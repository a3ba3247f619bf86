"""Notice pages through HTTP: the public pages and objection form, the province's pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus, NoticeStatus, ObjectionStatus
from certification.models import Certificate, Notice, Objection
from certification.services.notices import objection_decide
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import NoticeFactory, ObjectionFactory

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")


def open_notice(firms=2):
    today = timezone.localdate()
    notice = NoticeFactory(starts_on=today, ends_on=today + datetime.timedelta(days=6))
    for _ in range(firms):
        ApplicationFactory(
            campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice
        )
    return notice


def past_notice():
    today = timezone.localdate()
    notice = NoticeFactory(
        starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=3)
    )
    ApplicationFactory(
        campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice
    )
    return notice


# --- public pages -----------------------------------------------------------------------------


def test_the_public_list_shows_open_notices_without_sign_in(client, db):
    notice = open_notice()

    response = client.get(reverse("public:notice-list"))

    assert response.status_code == 200
    assert notice.title in response.content.decode()
    # No staff navigation on a public page.
    assert reverse("registry:enterprise-list") not in response.content.decode()


def test_the_public_notice_lists_the_firms_and_nothing_private(client, db):
    notice = open_notice(firms=1)
    firm = notice.applications.get().enterprise

    page = client.get(reverse("public:notice-detail", args=[notice.pk])).content.decode()

    for shown in (firm.name, firm.uscc, "兰州市城关区", firm.industry.name, firm.main_products):
        assert shown in page
    assert firm.legal_representative not in page
    assert str(notice.ends_on.year) in page


def test_the_public_notice_page_is_few_queries(client, db, django_assert_max_num_queries):
    notice = open_notice(firms=8)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("public:notice-detail", args=[notice.pk]))

    assert response.status_code == 200


def test_an_objection_filed_on_the_page_is_recorded(client, db):
    notice = open_notice()
    application = notice.applications.first()
    url = reverse("public:notice-detail", args=[notice.pk])

    response = client.post(url, {
        "application": application.pk, "name": "王敏", "contact": "13800000000",
        "text": "该企业存在重大安全事故。",
    })

    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.application, objection.status) == (application, ObjectionStatus.PENDING)


def test_an_incomplete_objection_shows_the_errors(client, db):
    notice = open_notice()

    response = client.post(reverse("public:notice-detail", args=[notice.pk]), {"name": "王敏"})

    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_the_page_throttles_objections_per_address_at_the_configured_rate(client, db, settings):
    settings.OBJECTION_THROTTLE_RATE = "2/hour"
    notice = open_notice()
    url = reverse("public:notice-detail", args=[notice.pk])
    data = {"application": notice.applications.first().pk, "name": "王敏", "contact": "138",
            "text": "异议"}

    codes = [client.post(url, data).status_code for _ in range(3)]

    assert codes == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_an_ended_notice_offers_no_objection_form(client, db):
    notice = past_notice()

    response = client.get(reverse("public:notice-detail", args=[notice.pk]))
    posted = client.post(reverse("public:notice-detail", args=[notice.pk]), {"name": "x"})

    assert 'id="objection"' not in response.content.decode()
    assert posted.status_code == 200
    assert not Objection.objects.exists()


def test_an_unknown_or_future_notice_is_404(client, db):
    later = NoticeFactory(starts_on=timezone.localdate() + datetime.timedelta(days=2),
                          ends_on=timezone.localdate() + datetime.timedelta(days=8))

    assert client.get(reverse("public:notice-detail", args=[later.pk])).status_code == 404
    assert client.get(reverse("public:notice-detail", args=[999999])).status_code == 404


# --- province pages ---------------------------------------------------------------------------


def test_the_province_publishes_a_notice_from_the_page(client, province_user):
    campaign = CampaignFactory()
    applications = [
        ApplicationFactory(campaign=campaign, status=ApplicationStatus.APPROVED)
        for _ in range(2)
    ]
    client.force_login(province_user)
    url = f"{reverse('certification:notice-create')}?campaign={campaign.pk}"

    page = client.get(url)
    response = client.post(url, {
        "applications": [a.pk for a in applications], "title": "2026年拟认定名单公示",
        "body": "", "starts_on": "", "days": "", "issuer": "甘肃省工业和信息化厅",
        "contact_person": "李明", "telephone": "0931-8468123", "published_on": "",
    })

    assert page.status_code == 200
    assert applications[0].enterprise.name in page.content.decode()
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.applications.count() == 2


def test_other_roles_cannot_open_the_publish_page(client, city_user):
    client.force_login(city_user)

    assert client.get(reverse("certification:notice-create")).status_code == 403


def test_the_province_upholds_an_objection_from_the_notice_page(client, province_user):
    notice = open_notice()
    application = notice.applications.first()
    objection = ObjectionFactory(application=application)
    client.force_login(province_user)

    page = client.get(reverse("certification:notice-detail", args=[notice.pk]))
    response = client.post(
        reverse("certification:objection-decide", args=[objection.pk]),
        {f"o{objection.pk}-reason": "经核查异议属实。", f"o{objection.pk}-decision": "uphold"},
    )

    assert objection.text in page.content.decode()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_a_ruling_without_reason_is_shown_again(client, province_user):
    notice = open_notice()
    objection = ObjectionFactory(application=notice.applications.first())
    client.force_login(province_user)

    response = client.post(
        reverse("certification:objection-decide", args=[objection.pk]),
        {f"o{objection.pk}-decision": "dismiss"},
    )

    assert response.status_code == 400
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_the_province_closes_a_due_notice_from_its_page(client, province_user):
    notice = past_notice()
    client.force_login(province_user)

    response = client.post(reverse("certification:notice-close", args=[notice.pk]))

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("count", [2, 10])
def test_the_staff_notice_list_makes_the_same_queries(
    client, province_user, django_assert_num_queries, count
):
    for _ in range(count):
        open_notice(firms=1)
    client.force_login(province_user)

    # Session, user and region, the menu's task count, then the count and the page of notices.
    with django_assert_num_queries(6):
        response = client.get(reverse("certification:notice-list"))

    assert response.status_code == 200


def test_the_application_partial_links_notice_and_certificate(db):
    from django.template.loader import render_to_string

    notice = past_notice()
    application = notice.applications.get()
    plain = ApplicationFactory()

    html = render_to_string(
        "certification/notices/partials/application_actions.html", {"application": application}
    )
    empty = render_to_string(
        "certification/notices/partials/application_actions.html", {"application": plain}
    )

    assert reverse("public:notice-detail", args=[notice.pk]) in html
    assert empty.strip() == ""


# --- rulings need an explicit decision; outcomes on the public page; overdue notices ----------


@pytest.mark.parametrize("decision", [None, "", "upheld", "reject"])
def test_a_ruling_without_a_valid_decision_is_refused_not_taken_for_a_dismissal(
    client, province_user, decision
):
    notice = open_notice()
    objection = ObjectionFactory(application=notice.applications.first())
    client.force_login(province_user)
    data = {f"o{objection.pk}-reason": "经核查。"}
    if decision is not None:
        data[f"o{objection.pk}-decision"] = decision

    response = client.post(reverse("certification:objection-decide", args=[objection.pk]), data)

    assert response.status_code == 400
    assert response.context["objections"][0][1].errors["decision"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    assert objection.application.status == ApplicationStatus.PUBLIC_NOTICE


def test_the_ruling_buttons_post_the_forms_decision_field(client, province_user):
    notice = open_notice()
    objection = ObjectionFactory(application=notice.applications.first())
    client.force_login(province_user)

    page = client.get(reverse("certification:notice-detail", args=[notice.pk])).content.decode()

    assert f'name="o{objection.pk}-decision" value="uphold"' in page
    assert f'name="o{objection.pk}-decision" value="dismiss"' in page


def test_the_public_notice_shows_each_outcome_and_offers_only_firms_still_in_notice(
    client, province_user
):
    notice = open_notice()
    rejected, listed = notice.applications.order_by("pk")
    objection_decide(
        actor=province_user, objection=ObjectionFactory(application=rejected), uphold=True,
        reason="经核查异议属实。",
    )

    response = client.get(reverse("public:notice-detail", args=[notice.pk]))

    page = response.content.decode()
    assert rejected.enterprise.name in page
    assert 'data-outcome="objection_upheld"' in page
    assert 'data-outcome="in_notice"' in page
    choices = dict(response.context["form"].fields["application"].choices)
    assert listed.pk in choices and rejected.pk not in choices
    posted = client.post(
        reverse("public:notice-detail", args=[notice.pk]),
        {"application": rejected.pk, "name": "王敏", "contact": "138", "text": "异议"},
    )
    assert posted.status_code == 400
    assert posted.context["form"].errors["application"]
    assert not Objection.objects.filter(text="异议").exists()


def test_the_staff_list_marks_an_open_notice_past_its_end(client, province_user):
    overdue = past_notice()
    current = open_notice(firms=1)
    client.force_login(province_user)

    response = client.get(reverse("certification:notice-list"))

    rows = {notice.pk: notice.overdue for notice in response.context["page"]}
    assert rows == {overdue.pk: True, current.pk: False}
    assert response.content.decode().count("data-overdue") == 1
