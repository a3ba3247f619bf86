"""Staff pages of public notices: publish, follow the objections, rule on them, close."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification.choices import ApplicationStatus, NoticeStatus, ObjectionStatus
from certification.documents.notices import notice_document_text
from certification.forms.notices import NoticePublishForm, RulingForm
from certification.models import Application, Campaign
from certification.selectors import notices as selectors
from certification.services import notices as services
from certification.services.certificates import is_province
from certification.tables import NoticeTable
from gansu_sme import exceptions
from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if, call_service


def can_read(user):
    return user.sees_regions


def _get(request, pk):
    return selectors.notice_get_staff(user=request.user, pk=pk)


class NoticeList(ObjectListView):
    table_class = NoticeTable
    template_name = "certification/notices/list.html"

    def allowed(self, user):
        return can_read(user)

    def get_queryset(self):
        return selectors.notice_list_staff(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_publish": is_province(self.request.user)}


@allowed_if(is_province)
def notice_create(request):
    # Campaigns that have approved applications waiting for a notice.
    campaigns = Campaign.objects.filter(
        pk__in=Application.objects.visible_to(request.user)
        .filter(status=ApplicationStatus.APPROVED)
        .values("campaign")
    ).order_by("-year", "-pk")
    campaign = campaigns.filter(pk=request.GET.get("campaign") or 0).first()
    form = None
    if campaign is not None:
        form = NoticePublishForm(request.POST or None, campaign=campaign, user=request.user)
        if request.method == "POST" and form.is_valid():
            notice = call_service(
                form, services.notice_publish, actor=request.user, campaign=campaign,
                **form.cleaned_data,
            )
            if notice is not None:
                messages.success(request, _("The notice has been published."))
                return redirect("certification:notice-detail", pk=notice.pk)
    return render(
        request,
        "certification/notices/form.html",
        {"campaigns": campaigns, "campaign": campaign, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


def _render_detail(request, notice, ruling_forms=None, status=200):
    objections = selectors.objection_list(user=request.user).filter(notice=notice)
    province = is_province(request.user)
    ruling_forms = ruling_forms or {}
    rows = [
        (
            objection,
            ruling_forms.get(objection.pk) or RulingForm(prefix=f"o{objection.pk}")
            if province and objection.status == ObjectionStatus.PENDING
            else None,
        )
        for objection in objections
    ]
    return render(
        request,
        "certification/notices/detail.html",
        {
            "notice": notice,
            "objections": rows,
            "is_open": services.notice_is_open(notice),
            "can_close": province
            and notice.status == NoticeStatus.OPEN
            and notice.ends_on < timezone.localdate(),
        },
        status=status,
    )


@allowed_if(can_read)
def notice_detail(request, pk):
    return _render_detail(request, _get(request, pk))


@allowed_if(can_read)
def notice_print(request, pk):
    """The notice as a page to print, stamp and file: official Chinese text on A4."""
    notice = _get(request, pk)
    return render(
        request, "certification/notices/print.html",
        {"notice": notice, "document": notice_document_text(notice)},
    )


@require_POST
@allowed_if(is_province)
def objection_decide(request, pk):
    objection = selectors.objection_get(user=request.user, pk=pk)
    form = RulingForm(request.POST, prefix=f"o{objection.pk}")
    if form.is_valid():
        uphold = form.cleaned_data["decision"] == RulingForm.UPHOLD
        result = call_service(
            form, services.objection_decide, actor=request.user, objection=objection,
            uphold=uphold, reason=form.cleaned_data["reason"],
        )
        if result is not None:
            messages.success(
                request,
                _("The objection has been upheld; the application is rejected.")
                if uphold else _("The objection has been dismissed."),
            )
            return redirect("certification:notice-detail", pk=objection.notice_id)
    notice = _get(request, objection.notice_id)
    return _render_detail(request, notice, {objection.pk: form}, status=400)


@require_POST
@allowed_if(is_province)
def notice_close(request, pk):
    notice = _get(request, pk)
    try:
        services.notice_close(actor=request.user, notice=notice)
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The notice has been closed and its firms concluded."))
    return redirect("certification:notice-detail", pk=notice.pk)
