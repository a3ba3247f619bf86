"""What the registry puts in everyone's 我的待办 (gansu_sme.inbox): monitoring reports to
submit, to verify and to resubmit, by the acts beside their statuses."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gansu_sme.inbox import Source
from registry.choices import REPORT_ACTS, ReportStatus
from registry.models import MonitoringReport

SOURCES = (
    Source(
        kind="monitoring_report",
        label=_("Monitoring report"),
        model=MonitoringReport,
        statuses=ReportStatus,
        acts=REPORT_ACTS,
        url=lambda row: reverse("registry:monitoring-detail", args=[row.pk]),
        describe=lambda row: f"{row.enterprise.name} · {row.period_label}",
        related=("enterprise",),
    ),
)
