"""Pages of the documents officials print, stamp and file: a city's recommendation summary
(推荐汇总表) and the province's certified list (认定名单), each shown on the page and
downloaded as a PDF or a workbook."""

import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from certification.documents import official_date
from certification.models import Campaign
from certification.selectors import campaigns as campaign_selectors
from certification.selectors.documents import certification_days
from certification.services import documents as services
from gansu_sme import exceptions
from gansu_sme.views import allowed_if


def _choice(queryset, raw):
    try:
        return queryset.filter(pk=int(raw)).first() if raw else None
    except (TypeError, ValueError):
        return None


def _download(request, document, listing, filters):
    content, name, content_type = services.document_file(
        actor=request.user, document=document, file_format=request.GET["format"],
        listing=listing, filters=filters,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _wants_file(request):
    return request.GET.get("format") in services.FORMATS


def _preview(document):
    """The document's rows as the page shows them, and its date as printed."""
    if document is None:
        return {}
    return {
        "table_rows": [
            [row.get(column.key) for column in document.columns] for row in document.rows
        ],
        "dated": official_date(document.dated),
    }


@allowed_if(services.can_summarise)
def recommendation_summary(request):
    """A city's recommendations in a campaign with its opinions; PDF and Excel to file."""
    user = request.user
    campaigns = campaign_selectors.campaign_list(user=user)
    regions = services.summary_regions(user)
    campaign = _choice(campaigns, request.GET.get("campaign"))
    region = _choice(regions, request.GET.get("region"))
    if region is None and user.region is not None and regions.filter(pk=user.region_id).exists():
        region = user.region
    document = error = None
    if campaign is not None and region is not None:
        try:
            document = services.recommendation_summary(
                actor=user, campaign=campaign, region=region
            )
        except exceptions.ANSWERED_BY_STATUS:
            raise
        except exceptions.DomainError as exc:
            error = exc.message
    if document is not None and _wants_file(request):
        return _download(
            request, document, "recommendation_summary",
            {"campaign": campaign.pk, "region": region.code},
        )
    return render(request, "certification/documents/recommendation_summary.html", {
        "campaigns": campaigns, "regions": regions, "campaign": campaign, "region": region,
        "document": document, "error": error,
        "query": f"campaign={campaign.pk}&region={region.pk}" if document else "",
        **_preview(document),
    })


@allowed_if(services.can_list_certified)
def certified_list(request):
    """The firms a campaign certified, for one decision date or all; PDF and Excel to file."""
    user = request.user
    campaigns = campaign_selectors.campaign_list(user=user).filter(
        kind__in=services.CERTIFYING_KINDS
    )
    campaign: Campaign | None = _choice(campaigns, request.GET.get("campaign"))
    days = certification_days(user=user, campaign=campaign) if campaign else []
    try:
        day = datetime.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        day = None
    if day not in days:
        day = None
    document = None
    if campaign is not None:
        document = services.certified_list(actor=user, campaign=campaign, certified_on=day)
    if document is not None and _wants_file(request):
        return _download(
            request, document, "certified_list",
            {"campaign": campaign.pk, "date": day.isoformat() if day else ""},
        )
    query = ""
    if campaign is not None:
        query = f"campaign={campaign.pk}" + (f"&date={day.isoformat()}" if day else "")
    return render(request, "certification/documents/certified_list.html", {
        "campaigns": campaigns, "campaign": campaign, "days": days, "day": day,
        "document": document, "query": query, **_preview(document),
    })
