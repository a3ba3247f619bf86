"""The province's recommendations to the national 小巨人 list: the export MIIT asks for, and the
national outcome once MIIT has published it.

The recommendation rows themselves are written when a little-giant campaign's notice closes
(``certification.services.notices.notice_close``).
"""

from typing import IO

import pghistory
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification.choices import CertificateLevel, CertificateStatus, RecommendationOutcome
from certification.models import Application, Campaign, Certificate, NationalRecommendation
from certification.selectors.certificates import recommendation_list
from certification.services.certificates import certificate_issue, check_province
from gansu_sme.excel.columns import Column
from gansu_sme.excel.writer import write_rows
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope
from registry.choices import PeriodKind, ReportStatus
from registry.models import ExportRecord, MonitoringReport

PROVINCE_NAME = "甘肃省"
EXPORT_LISTING = "national_recommendations"

# The columns of the national recommendation list (小巨人推荐汇总表), in its order. The list is an
# official document sent to MIIT: its headings, title and file name stay Chinese whatever the
# language of the page that exports it.
EXPORT_COLUMNS = (
    Column("index", "序号", width=6),
    Column("province", "省份", width=8),
    Column("name", "企业名称", width=34),
    Column("uscc", "统一社会信用代码", width=22),
    Column("region", "所属地区", width=18),
    Column("industry", "所属行业", width=24),
    Column("main_products", "主导产品", width=30),
    Column("niche_market", "细分市场", width=30),
    Column("provincial", "省级专精特新认定时间/证书编号", width=30),
    Column("operating_revenue", "营业收入(万元)", width=14),
    Column("rd_expense", "研发费用(万元)", width=14),
    Column("rank", "推荐排序", width=8),
)


def _annual(field, year):
    # The latest verified annual figures before the campaign year: what the firm filed with.
    return Subquery(
        MonitoringReport.objects.filter(
            enterprise=OuterRef("enterprise"),
            period_kind=PeriodKind.YEAR,
            status=ReportStatus.VERIFIED,
            year__lt=year,
        )
        .order_by("-year")
        .values(field)[:1]
    )


def _provincial(field):
    return Subquery(
        Certificate.objects.filter(
            enterprise=OuterRef("enterprise"),
            level=CertificateLevel.PROVINCIAL,
            status=CertificateStatus.ACTIVE,
        ).values(field)[:1]
    )


def recommendation_ranked(
    *, user: User, campaign: Campaign
) -> QuerySet[NationalRecommendation]:
    """A campaign's recommendations in the province's ranking: decided score, then panel score."""
    return (
        recommendation_list(user=user)
        .filter(application__campaign=campaign)
        .select_related("enterprise__industry")
        .annotate(
            operating_revenue=_annual("operating_revenue", campaign.year),
            rd_expense=_annual("rd_expense", campaign.year),
            provincial_number=_provincial("number"),
            provincial_issued_on=_provincial("issued_on"),
        )
        .order_by(
            F("application__decision_score").desc(nulls_last=True),
            F("application__panel_score").desc(nulls_last=True),
            "enterprise__name",
            "pk",
        )
    )


def _region_label(region):
    if region.parent is not None and region.parent.level != "province":
        return f"{region.parent.name}{region.name}"
    return region.name


def _row(rank, recommendation):
    enterprise = recommendation.enterprise
    provincial = ""
    if recommendation.provincial_number:
        provincial = (
            f"{recommendation.provincial_issued_on:%Y-%m-%d}/{recommendation.provincial_number}"
        )
    return {
        "index": rank,
        "province": PROVINCE_NAME,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "region": _region_label(enterprise.region),
        "industry": f"{enterprise.industry.code} {enterprise.industry.name}",
        "main_products": enterprise.main_products,
        "niche_market": enterprise.niche_market,
        "provincial": provincial,
        "operating_revenue": recommendation.operating_revenue,
        "rd_expense": recommendation.rd_expense,
        "rank": rank,
    }


def national_recommendations_export(
    *, actor: User, campaign: Campaign
) -> tuple[IO[bytes], str, int]:
    """The campaign's recommendations as the national list's xlsx; logged as an export.

    Returns (temporary file, download name, row count). Text a spreadsheet would run as a
    formula is escaped by the shared writer.
    """
    check_province(actor)
    rows = recommendation_ranked(user=actor, campaign=campaign)
    workbook, count = write_rows(
        EXPORT_COLUMNS,
        (_row(rank, row) for rank, row in enumerate(rows, start=1)),
        title="小巨人推荐名单",
    )
    ExportRecord.objects.create(
        user=actor, listing=EXPORT_LISTING, filters={"campaign": campaign.pk}, row_count=count
    )
    name = f"{campaign.year}年{PROVINCE_NAME}专精特新小巨人企业推荐名单.xlsx"
    return workbook, name, count


@transaction.atomic
def national_recommendation_record_outcome(
    *, actor: User, recommendation: NationalRecommendation, approved: bool, document: str
) -> NationalRecommendation:
    """Record MIIT's decision on a recommendation and return it.

    Preconditions: the actor is a provincial reviewer who sees the firm; ``document`` (the
    national notice's number, 工信部公告文号) is given; the outcome is still pending (the same
    outcome recorded again is returned unchanged).

    Side effects: approval issues the national certificate (level national, its own number
    sequence, three years from today), which graduates the firm's pool entry and announces
    ``certificate_issued``.
    """
    check_province(actor)
    document = (document or "").strip()
    if not document:
        message = _("Give the number of the national notice.")
        raise DomainError(message, code="document_required", fields={"document": [message]})
    locked = (
        NationalRecommendation.objects.select_for_update(of=("self",))
        .select_related("application__campaign__ruleset", "application__evaluation", "enterprise")
        .filter(pk=recommendation.pk, application__in=Application.objects.visible_to(actor))
        .first()
    )
    if locked is None:
        raise OutOfScope()
    outcome = RecommendationOutcome.APPROVED if approved else RecommendationOutcome.REJECTED
    if locked.outcome != RecommendationOutcome.PENDING:
        if locked.outcome == outcome:
            return locked
        raise InvalidTransition(
            _("The national outcome is already recorded."), code="outcome_already_recorded"
        )
    if approved:
        application = locked.application
        locked.certificate = certificate_issue(
            actor=actor,
            enterprise=locked.enterprise,
            level=CertificateLevel.NATIONAL,
            issued_on=timezone.localdate(),
            ruleset_code=(
                application.evaluation.ruleset_code
                if application.evaluation
                else application.campaign.ruleset.code
            ),
            national_document=document,
        )
    locked.outcome = outcome
    locked.outcome_document = document
    locked.outcome_recorded_by = actor
    locked.outcome_recorded_at = timezone.now()
    locked.full_clean()
    with pghistory.context(user=actor.pk, reason=document):
        locked.save()
    return locked
