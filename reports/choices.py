from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly monitoring report")  # 月度运行监测报告
    QUARTERLY_KPI = "quarterly_kpi", _("Quarterly KPI report")  # 季度目标任务考核报告
    ANNUAL = "annual", _("Annual monitoring report")  # 年度运行监测报告


class NotificationKind(models.TextChoices):
    CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate expiring")  # 证书即将到期
    MONITORING_OVERDUE = "monitoring_overdue", _("Monitoring reports overdue")  # 监测报表逾期
    STAGE_OVERDUE = "stage_overdue", _("Review stage past its deadline")  # 审核环节超期
    NOTICE_CLOSING = "notice_closing", _("Public notice closing tomorrow")  # 公示明日结束
    # 他地区试图登记本地区企业
    CREDIT_CODE_CLAIMED = "credit_code_claimed", _("Registration attempted from another region")


# What each reminder says, by kind and variant, filled from the notification's ``params`` in
# the reader's language (Notification.message). Dates are ISO strings in ``params``.
NOTIFICATION_TEXTS = {
    (NotificationKind.CERTIFICATE_EXPIRING, ""): _(
        "Certificate %(number)s of %(firm)s expires on %(date)s, in %(days)s days."
    ),
    (NotificationKind.MONITORING_OVERDUE, ""): _(
        "The monitoring report of %(month)s is overdue: %(count)s firms of your region have"
        " not filed it."
    ),
    (NotificationKind.STAGE_OVERDUE, ""): _(
        "The application of %(firm)s is past the deadline of its stage “%(stage)s” (%(date)s)."
    ),
    (NotificationKind.NOTICE_CLOSING, "today"): _(
        "The public notice “%(title)s” closes today (%(date)s)."
    ),
    (NotificationKind.NOTICE_CLOSING, "tomorrow"): _(
        "The public notice “%(title)s” closes tomorrow (%(date)s)."
    ),
    (NotificationKind.CREDIT_CODE_CLAIMED, ""): _(
        "%(account)s (%(region)s) tried to register %(firm)s (%(code)s), a firm of your region,"
        " and was refused."
    ),
}


# Plan targets of 甘工信发〔2018〕551号 (RULES.md §2.2), in percent: R&D spending against
# main-business revenue, and the informatization rates of above-scale SMEs.
RD_TARGET_ABOVE_SCALE = 1.5
RD_TARGET_ZJTX = 3.0
INFORMATIZATION_TARGET = 50.0

# Days before a certificate's end of validity at which its holders' officials are reminded.
EXPIRY_WARNING_DAYS = (90, 30, 7)
# A month's monitoring report is due by this day of the following month.
MONITORING_DUE_DAY = 15
