"""The documents officials print, stamp and file, drawn up within the actor's region: a city's
推荐汇总表 for a campaign and the 厅's 认定名单 of a campaign (for one decision date, or all).

Each returns a ``certification.documents.Document``: official Chinese text whatever the
language of the page that asks for it. Writing one out (``document_file``) is logged as an
export, like every download of a list.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from certification.choices import CampaignKind
from certification.documents import (
    PROVINCE_AUTHORITY,
    Document,
    authority_of,
    official_date,
)
from certification.documents.render import document_pdf, document_xlsx
from certification.models import Campaign, CampaignQuota
from certification.selectors.documents import campaign_certified, city_recommendations
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.columns import Column
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.choices import RegionLevel
from registry.models import ExportRecord, Region

SUMMARY_ROLES = frozenset({Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER, Role.AUDITOR})
CERTIFIED_LIST_ROLES = frozenset({Role.PROVINCIAL_REVIEWER, Role.AUDITOR})
CERTIFYING_KINDS = (CampaignKind.PROVINCIAL, CampaignKind.RE_REVIEW)
FORMATS = ("pdf", "xlsx")

# The columns of the 推荐汇总表, in its order; headers are official text.
SUMMARY_COLUMNS = (
    Column("index", "序号", width=6),
    Column("name", "企业名称", width=28),
    Column("uscc", "统一社会信用代码", width=22),
    Column("county", "所在县区", width=14),
    Column("industry", "所属行业", width=18),
    Column("main_products", "主导产品", width=20),
    Column("points", "预审得分", width=9),
    Column("opinion", "推荐意见", width=40),
)

# The columns of the 认定名单.
CERTIFIED_COLUMNS = (
    Column("index", "序号", width=6),
    Column("name", "企业名称", width=30),
    Column("uscc", "统一社会信用代码", width=22),
    Column("city", "所在市州", width=12),
    Column("county", "所在县区", width=12),
    Column("industry", "所属行业", width=18),
    Column("main_products", "主导产品", width=20),
    Column("number", "证书编号", width=18),
    Column("valid_until", "有效期至", width=14),
)


def can_summarise(user: User) -> bool:
    return user.is_superuser or (user.role in SUMMARY_ROLES and not user.is_expired)


def can_list_certified(user: User) -> bool:
    return user.is_superuser or (user.role in CERTIFIED_LIST_ROLES and not user.is_expired)


def summary_regions(user: User) -> QuerySet[Region]:
    """The prefecture units whose summary ``user`` may draw up: a city's own, or any for the
    province."""
    return Region.objects.visible_to(user).filter(level=RegionLevel.PREFECTURE).order_by("path")


def _prefecture_of(region):
    return region if region.level == RegionLevel.PREFECTURE else region.parent


def recommendation_summary(
    *, actor: User, campaign: Campaign, region: Region | None = None,
    dated: datetime.date | None = None,
) -> Document:
    """A prefecture unit's 推荐汇总表 of ``campaign``: the firms its city recommended and
    that still stand, each with the city's opinion, issued by the city's department.

    Preconditions: the actor is city staff (``region`` defaults to their prefecture), a
    provincial reviewer or an auditor; ``region`` is a prefecture unit the actor sees (else
    OutOfScope). ``dated`` (today by default) is the date printed above the seal.
    """
    if not can_summarise(actor):
        raise PermissionDenied()
    if region is None:
        if actor.region is None or actor.region.level != RegionLevel.PREFECTURE:
            message = _("Choose the city whose summary to draw up.")
            raise DomainError(message, code="region_required", fields={"region": [message]})
        region = actor.region
    if not summary_regions(actor).filter(pk=region.pk).exists():
        raise OutOfScope()
    authority = authority_of(region)
    applications = city_recommendations(user=actor, campaign=campaign, region=region)
    rows = [
        {
            "index": index,
            "name": application.enterprise.name,
            "uscc": application.enterprise.uscc,
            "county": application.enterprise.region.name,
            "industry": application.enterprise.industry.name,
            "main_products": application.enterprise.main_products,
            "points": application.evaluation.total_points if application.evaluation else None,
            "opinion": application.opinion,  # type: ignore[attr-defined]  # annotated
        }
        for index, application in enumerate(applications, start=1)
    ]
    quota = CampaignQuota.objects.filter(campaign=campaign, region=region).first()
    count = f"推荐企业：{len(rows)}家" + (f"（推荐名额{quota.quota}个）" if quota else "")
    return Document(
        title=f"{campaign.title}推荐汇总表",
        columns=SUMMARY_COLUMNS,
        rows=rows,
        issuer=authority,
        dated=dated or timezone.localdate(),
        lines=(f"推荐单位（盖章）：{authority}", f"申报批次：{campaign.title}", count),
        filename=f"{region.name}推荐汇总表（{campaign.title}）",
        sheet_title="推荐汇总表",
    )


def certified_list(
    *, actor: User, campaign: Campaign, certified_on: datetime.date | None = None
) -> Document:
    """The 厅's 认定名单 of ``campaign``: the firms it certified (on ``certified_on``, when
    given) with their certificates, issued by the province's department and dated the day of
    the decision.

    Preconditions: the actor is a provincial reviewer or an auditor; the campaign certifies
    (a provincial or re-review campaign; a little-giant campaign ends in a national
    recommendation, DomainError ``campaign_does_not_certify``).
    """
    if not can_list_certified(actor):
        raise PermissionDenied()
    if campaign.kind not in CERTIFYING_KINDS:
        message = _("This campaign recommends firms nationally; it certifies none.")
        raise DomainError(message, code="campaign_does_not_certify",
                          fields={"campaign": [message]})
    applications = list(
        campaign_certified(user=actor, campaign=campaign, certified_on=certified_on)
    )
    rows = []
    for index, application in enumerate(applications, start=1):
        enterprise = application.enterprise
        certificate = (
            application.renews if campaign.kind == CampaignKind.RE_REVIEW
            else getattr(application, "certificate", None)
        )
        region = enterprise.region
        rows.append({
            "index": index,
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "city": _prefecture_of(region).name,
            "county": region.name if region.level == RegionLevel.COUNTY else "",
            "industry": enterprise.industry.name,
            "main_products": enterprise.main_products,
            "number": certificate.number if certificate else "",
            "valid_until": official_date(certificate.valid_until) if certificate else "",
        })
    # ``certified_on`` is annotated by campaign_certified.
    days = sorted({
        a.certified_on for a in applications  # type: ignore[attr-defined]
        if a.certified_on is not None  # type: ignore[attr-defined]
    })
    dated = certified_on or (days[-1] if days else timezone.localdate())
    what = "复核通过企业名单" if campaign.kind == CampaignKind.RE_REVIEW else "认定名单"
    lines = [f"申报批次：{campaign.title}", f"认定日期：{official_date(dated)}",
             f"企业数：{len(rows)}家"]
    return Document(
        title=f"{campaign.year}年甘肃省专精特新中小企业{what}",
        columns=CERTIFIED_COLUMNS,
        rows=rows,
        issuer=PROVINCE_AUTHORITY,
        dated=dated,
        lines=tuple(lines),
        filename=f"{campaign.year}年甘肃省专精特新中小企业{what}（{official_date(dated)}）",
        sheet_title=what,
    )


def document_file(*, actor: User, document: Document, file_format: str, listing: str,
                  filters: dict) -> tuple[bytes, str, str]:
    """``document`` written as ``file_format`` (pdf or xlsx), logged as an export by
    ``actor``: (content, file name, content type)."""
    if file_format == "pdf":
        content, content_type = document_pdf(document), "application/pdf"
    elif file_format == "xlsx":
        workbook, _count = document_xlsx(document)
        content = workbook.read()
        content_type = XLSX_CONTENT_TYPE
    else:
        raise DomainError(code="unknown_format")
    ExportRecord.objects.create(
        user=actor, listing=listing, filters={**filters, "format": file_format},
        row_count=len(document.rows),
    )
    return content, f"{document.filename}.{file_format}", content_type
