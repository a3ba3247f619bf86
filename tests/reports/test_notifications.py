"""Daily reminders, the e-mail digest, reading notifications in the browser and the API."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import send_mail as django_send_mail
from django.urls import reverse
from django.utils import translation

from certification.choices import ApplicationStatus
from registry.choices import PeriodKind, ReportStatus
from reports.choices import NotificationKind
from reports.models import Notification
from reports.services import notifications
from reports.services.notifications import (
    notifications_digest_send,
    notifications_remind,
    overdue_month,
)
from reports.tasks import notifications_digest_task
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory, NoticeFactory
from tests.factories.monitoring import MonitoringReportFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_certificates_are_reminded_at_90_30_and_7_days_once_each(
    county_user, city_user, province_user, other_county_user, enterprise
):
    cert = CertificateFactory(enterprise=enterprise, valid_until=TODAY + datetime.timedelta(80))
    assert notifications_remind(today=TODAY) >= 3
    for user in (county_user, city_user, province_user):
        assert NotificationKind.CERTIFICATE_EXPIRING in kinds(user)
    assert not Notification.objects.filter(user=other_county_user).exists()
    # The next days: nothing new until the 30-day mark, then one more, then the 7-day one.
    assert notifications_remind(today=TODAY + datetime.timedelta(1)) == 0
    notifications_remind(today=cert.valid_until - datetime.timedelta(30))
    notifications_remind(today=cert.valid_until - datetime.timedelta(29))
    notifications_remind(today=cert.valid_until - datetime.timedelta(7))
    assert kinds(county_user).count(NotificationKind.CERTIFICATE_EXPIRING) == 3


def test_a_stage_past_its_deadline_goes_to_the_role_that_owns_the_status(
    county_user, city_user, province_user, enterprise
):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.COUNTY_REVIEWED,
        stage_due=TODAY - datetime.timedelta(1),
    )
    notifications_remind(today=TODAY)
    [note] = Notification.objects.filter(kind=NotificationKind.STAGE_OVERDUE)
    assert note.user == city_user  # a county-reviewed application waits for the city
    assert note.link == reverse("certification:application-detail", args=[application.pk])


def test_a_notice_closing_tomorrow_reminds_the_province(province_user, county_user):
    NoticeFactory(starts_on=TODAY - datetime.timedelta(5), ends_on=TODAY + datetime.timedelta(1))
    notifications_remind(today=TODAY)
    assert NotificationKind.NOTICE_CLOSING in kinds(province_user)
    assert NotificationKind.NOTICE_CLOSING not in kinds(county_user)


def test_missing_monitoring_reports_are_reminded_after_the_due_day(
    county_user, city_user, province_user, enterprise
):
    assert overdue_month(datetime.date(2026, 11, 15)) == (2026, 9)
    assert overdue_month(TODAY) == (2026, 10)
    notifications_remind(today=TODAY)
    [note] = Notification.objects.filter(user=county_user)
    assert note.kind == NotificationKind.MONITORING_OVERDUE and note.params["count"] == 1
    assert note.text == "2026年10月的运行监测报表已逾期：本地区有 1 家企业尚未报送。"
    with translation.override("en"):
        assert "1 firms of your region" in note.message and "October 2026" in note.message
    assert NotificationKind.MONITORING_OVERDUE in kinds(city_user)
    assert NotificationKind.MONITORING_OVERDUE not in kinds(province_user)


def test_filed_reports_are_not_overdue(county_user, enterprise):
    MonitoringReportFactory(
        enterprise=enterprise, period_kind=PeriodKind.MONTH, year=2026, period=10,
        status=ReportStatus.SUBMITTED,
    )
    notifications_remind(today=TODAY)
    assert not Notification.objects.filter(user=county_user).exists()


def test_the_daily_digest_mails_each_user_once(county_user, city_user, enterprise):
    county_user.email = "chengguan@example.gov.cn"
    county_user.save()
    city_user.email = ""
    city_user.save()
    notifications_remind(today=TODAY)
    assert notifications_digest_send(today=TODAY) == 1
    [message] = mail.outbox
    assert message.to == ["chengguan@example.gov.cn"] and "逾期" in message.body
    assert notifications_digest_send(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_notifications_page_badge_and_marking_read(client, county_user, enterprise):
    notifications_remind(today=TODAY)
    [note] = Notification.objects.filter(user=county_user)
    client.force_login(county_user)
    assert reverse("reports:notification-badge") in client.get(reverse("home")).text
    assert 'data-unread="1"' in client.get(reverse("reports:notification-badge")).text
    listing = client.get(reverse("reports:notification-list")).text
    assert note.message in listing
    response = client.post(
        reverse("reports:notification-read", args=[note.pk]), {"follow": "1"}
    )
    assert response.status_code == 302 and response.url == note.link
    note.refresh_from_db()
    assert note.read_at is not None
    assert "data-unread" not in client.get(reverse("reports:notification-badge")).text


def test_nobody_reads_another_users_notification(client, as_user, county_user, city_user,
                                                 enterprise):
    notifications_remind(today=TODAY)
    note = Notification.objects.get(user=county_user)
    client.force_login(city_user)
    assert client.post(reverse("reports:notification-read", args=[note.pk])).status_code == 404
    api = as_user(city_user)
    assert api.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    assert [n["id"] for n in api.get("/api/v1/notifications/").json()["results"]] == [
        Notification.objects.get(user=city_user).pk
    ]


def test_api_marks_read_and_lists_in_constant_queries(as_user, county_user, enterprise,
                                                      django_assert_num_queries):
    for day in range(5):
        Notification.objects.create(
            user=county_user, kind=NotificationKind.MONITORING_OVERDUE, key=f"k{day}",
            text=f"提醒 {day}",
        )
    api = as_user(county_user)
    # Token with its owner, the page: whatever the number of notifications.
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/notifications/").json()["results"]) == 5
    first = Notification.objects.filter(user=county_user).first()
    assert api.post(f"/api/v1/notifications/{first.pk}/read/").json()["read_at"]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 4}


def _note(user, key="k"):
    return Notification.objects.create(
        user=user, kind=NotificationKind.MONITORING_OVERDUE, key=key, text=f"提醒 {key}"
    )


@pytest.fixture
def three_addressees(db):
    users = [UserFactory(email=f"official{i}@example.gov.cn") for i in range(3)]
    for user in users:
        _note(user)
    return users


def _failing_for(address, error):
    """``send_mail`` that fails with ``error`` for ``address`` and sends everything else."""

    def send(**kwargs):
        if kwargs["recipient_list"] == [address]:
            raise error
        return django_send_mail(**kwargs)

    return send


def test_a_refused_address_does_not_stop_the_digest_for_the_others(
    monkeypatch, three_addressees
):
    first, second, third = three_addressees
    refused = smtplib.SMTPRecipientsRefused({first.email: (550, b"no such user")})
    monkeypatch.setattr(notifications, "send_mail", _failing_for(first.email, refused))

    assert notifications_digest_send(today=TODAY) == 2

    assert sorted(m.to[0] for m in mail.outbox) == [second.email, third.email]
    # The refused user's reminders stay unsent, for the next day's digest.
    assert Notification.objects.get(user=first).emailed_at is None
    assert Notification.objects.get(user=third).emailed_at is not None


def test_a_lost_mail_server_stops_the_run_and_the_retry_mails_only_the_rest(
    monkeypatch, three_addressees
):
    first, second, third = three_addressees
    lost = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    monkeypatch.setattr(notifications, "send_mail", _failing_for(second.email, lost))
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notifications_digest_send(today=TODAY)
    assert [m.to for m in mail.outbox] == [[first.email]]

    monkeypatch.setattr(notifications, "send_mail", django_send_mail)
    assert notifications_digest_send(today=TODAY) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in three_addressees)


def test_the_digest_task_retries_only_when_the_mail_server_is_unreachable():
    retried = notifications_digest_task.autoretry_for
    assert issubclass(smtplib.SMTPServerDisconnected, retried)
    assert issubclass(smtplib.SMTPConnectError, retried)
    assert not issubclass(smtplib.SMTPRecipientsRefused, retried)
    assert not issubclass(smtplib.SMTPSenderRefused, retried)


def test_expired_accounts_get_no_digest(db):
    expired = UserFactory(email="gone@example.gov.cn", expires_on=TODAY)
    current = UserFactory(email="here@example.gov.cn", expires_on=TODAY + datetime.timedelta(1))
    _note(expired)
    _note(current)
    assert notifications_digest_send(today=TODAY) == 1
    assert [m.to for m in mail.outbox] == [[current.email]]


def test_a_notice_missed_the_day_before_is_reminded_on_its_last_day(province_user):
    notice = NoticeFactory(starts_on=TODAY - datetime.timedelta(5), ends_on=TODAY)
    notifications_remind(today=TODAY)
    [note] = Notification.objects.filter(user=province_user, kind=NotificationKind.NOTICE_CLOSING)
    assert note.params["variant"] == "today"
    assert note.params["date"] == notice.ends_on.isoformat()
    with translation.override("en"):
        assert "closes today" in note.message


def test_a_notice_is_reminded_once_over_its_last_two_days(province_user):
    NoticeFactory(starts_on=TODAY - datetime.timedelta(5), ends_on=TODAY + datetime.timedelta(1))
    notifications_remind(today=TODAY)
    notifications_remind(today=TODAY + datetime.timedelta(1))
    assert kinds(province_user).count(NotificationKind.NOTICE_CLOSING) == 1
