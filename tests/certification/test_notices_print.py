"""Notices carry their issuing authority, contact, telephone and publication date; their pages
read 公示中 while one runs; the print version is official Chinese text in either language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus, NoticePhase, NoticeStatus
from certification.services.notices import notice_publish
from gansu_sme.exceptions import DomainError
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import NoticeFactory
from tests.factories.registry import EnterpriseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]

TITLE = "2026年省级专精特新中小企业拟认定名单公示"


def approved(campaign, name):
    return ApplicationFactory(
        campaign=campaign, status=ApplicationStatus.APPROVED,
        enterprise=EnterpriseFactory(name=name),
    )


def running_notice(**fields):
    today = timezone.localdate()
    notice = NoticeFactory(
        starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=5),
        published_on=today - datetime.timedelta(days=1), **fields,
    )
    for name in ("兰州城关精密机械有限公司", "兰州七里河新材料有限公司"):
        ApplicationFactory(
            campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice,
            enterprise=EnterpriseFactory(name=name),
        )
    return notice


# --- the service -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact_person", "telephone", "fields"),
    [("", "0931-8468123", {"contact_person"}), ("李明", "", {"telephone"}),
     ("李明", "电话待定", {"telephone"}), ("", "", {"contact_person", "telephone"})],
)
def test_a_notice_without_contact_or_telephone_is_refused(
    province_user, contact_person, telephone, fields
):
    campaign = CampaignFactory()
    application = approved(campaign, "兰州城关精密机械有限公司")

    with pytest.raises(DomainError) as refused:
        notice_publish(
            actor=province_user, campaign=campaign, applications=[application], title=TITLE,
            contact_person=contact_person, telephone=telephone,
        )

    assert refused.value.code == "notice_contact_missing"
    assert set(refused.value.fields) == fields
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_a_notice_keeps_its_issuer_contact_telephone_and_publication_date(province_user):
    campaign = CampaignFactory()
    application = approved(campaign, "兰州城关精密机械有限公司")

    notice = notice_publish(
        actor=province_user, campaign=campaign, applications=[application], title=TITLE,
        contact_person=" 李明 ", telephone="0931-8468123",
    )
    dated = notice_publish(
        actor=province_user, campaign=campaign,
        applications=[approved(campaign, "兰州七里河新材料有限公司")], title=TITLE,
        contact_person="王芳", telephone="(0931) 8468124", issuer="甘肃省工业和信息化厅中小企业处",
        published_on=datetime.date(2026, 11, 30),
    )

    assert (notice.issuer, notice.contact_person, notice.telephone, notice.published_on) == (
        "甘肃省工业和信息化厅", "李明", "0931-8468123", timezone.localdate()
    )
    assert (dated.issuer, dated.published_on) == (
        "甘肃省工业和信息化厅中小企业处", datetime.date(2026, 11, 30)
    )


# --- the phase: 公示中 while it runs -----------------------------------------------------


def test_the_phase_reads_the_status_against_the_dates():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    assert running_notice().phase == NoticePhase.RUNNING
    assert NoticeFactory(starts_on=today + day, ends_on=today + 5 * day).phase == (
        NoticePhase.SCHEDULED
    )
    assert NoticeFactory(starts_on=today - 9 * day, ends_on=today - day).phase == (
        NoticePhase.LAPSED
    )
    assert NoticeFactory(
        starts_on=today - 9 * day, ends_on=today - day, status=NoticeStatus.CLOSED
    ).phase == NoticePhase.CLOSED


def test_a_running_notice_reads_in_public_notice_on_its_pages(client, province_user):
    notice = running_notice()
    client.force_login(province_user)

    staff = client.get(reverse("certification:notice-detail", args=[notice.pk])).content.decode()
    listing = client.get(reverse("certification:notice-list")).content.decode()
    public = client.get(reverse("public:notice-list")).content.decode()

    for html in (staff, listing, public):
        assert 'data-phase="running">公示中<' in html
    for shown in ("甘肃省工业和信息化厅", "李明", "0931-8468123"):
        assert shown in staff


def test_the_api_gives_the_notice_fields_and_phase(client):
    notice = running_notice()

    data = client.get(reverse("certification-api:notice-detail", args=[notice.pk])).json()

    assert (data["issuer"], data["contact_person"], data["telephone"], data["phase"]) == (
        "甘肃省工业和信息化厅", "李明", "0931-8468123", "running"
    )
    assert data["published_on"] == notice.published_on.isoformat()


# --- the print version -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_print_version_is_official_chinese_text_in_either_language(
    client, province_user, language
):
    notice = running_notice()
    client.force_login(province_user)

    response = client.get(
        reverse("certification:notice-print", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "css/document.css" in html
    for shown in (notice.title, "兰州城关精密机械有限公司", "兰州七里河新材料有限公司",
                  "兰州市城关区", "序号", "统一社会信用代码", "联系人：李明",
                  "联系电话：0931-8468123",
                  'data-field="issuer">甘肃省工业和信息化厅<'):
        assert shown in html
    published = notice.published_on
    assert f"{published.year}年{published.month}月{published.day}日" in html
    assert "公示期：" in html and "个工作日" in html


def test_the_print_version_is_for_officials_of_the_notice(client, county_user, expert_user):
    notice = running_notice()
    url = reverse("certification:notice-print", args=[notice.pk])

    assert client.get(url).status_code == 302  # sign in first
    client.force_login(expert_user)
    assert client.get(url).status_code == 403
    client.force_login(county_user)
    assert client.get(url).status_code == 200
