"""Factories of stored reports and notifications, written directly (not generated)."""

import factory
from django.utils import timezone

from reports.choices import NotificationKind, ReportKind
from reports.models import Notification, Report
from tests.factories.accounts import UserFactory
from tests.factories.registry import region


class ReportFactory(factory.django.DjangoModelFactory):
    """城关区's monthly report of October 2026, with no figures."""

    class Meta:
        model = Report

    kind = ReportKind.MONTHLY
    year = 2026
    period = 10
    region = factory.LazyFunction(lambda: region("620102"))
    xlsx = b""
    generated_at = factory.LazyFunction(timezone.now)


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread reminder of a certificate expiring."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.CERTIFICATE_EXPIRING
    key = factory.Sequence(lambda n: f"test:{n}")
    text = "证书将于90天后到期。"
