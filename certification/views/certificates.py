"""Staff pages of certificates and national recommendations."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification.choices import (
    CLAWBACK_REASONS,
    CampaignKind,
    CertificateStatus,
    RecommendationOutcome,
)
from certification.filtersets.certificates import (
    CertificateFilterSet,
    NationalRecommendationFilterSet,
)
from certification.forms.certificates import OutcomeForm, RevokeForm
from certification.models import Campaign
from certification.selectors import certificates as selectors
from certification.services import certificates as services
from certification.services import recommendations
from certification.tables import CertificateTable, RecommendationTable
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.lists import ObjectListView
from gansu_sme.views import ActionView, allowed_if, call_service

from .notices import can_read


def verification_url(request, number):
    """The absolute address of a certificate's public verification page.

    SITE_URL, when set, names the public address (a reverse proxy may hide it from Django).
    """
    path = reverse("public:verify", args=[number])
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _get(request, pk):
    return selectors.certificate_get(user=request.user, pk=pk)


class CertificateList(ObjectListView):
    table_class = CertificateTable
    filterset_class = CertificateFilterSet
    template_name = "certification/certificates/list.html"
    default_ordering = ("-issued_on", "-pk")

    def allowed(self, user):
        return can_read(user)

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user)


def _can_revoke(user, certificate):
    return services.is_province(user) and certificate.status != CertificateStatus.REVOKED


def _render_detail(request, certificate, status=200):
    return render(
        request,
        "certification/certificates/detail.html",
        {
            "certificate": certificate,
            "verify_url": verification_url(request, certificate.number),
            "can_revoke": _can_revoke(request.user, certificate),
        },
        status=status,
    )


@allowed_if(can_read)
def certificate_detail(request, pk):
    return _render_detail(request, _get(request, pk))


@allowed_if(can_read)
def certificate_pdf(request, pk):
    certificate = _get(request, pk)
    content = services.certificate_download(
        actor=request.user, certificate=certificate,
        verify_url=verification_url(request, certificate.number),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


class CertificateRevoke(ActionView):
    """The confirmation step of a revocation (GET), naming the firm and asking for the reason,
    and the revocation itself (POST), which the form refuses unless confirmed."""

    http_method_names = ["get", "post"]
    form_class = RevokeForm
    service = services.certificate_revoke
    object_name = "certificate"
    success_message = gettext_lazy("The certificate has been revoked.")

    def allowed(self, user):
        return services.is_province(user)

    def get_object(self):
        return _get(self.request, self.kwargs["pk"])

    def service_kwargs(self, form):
        return form.service_kwargs()

    def success_url(self, result):
        return reverse("certification:certificate-detail", args=[self.kwargs["pk"]])

    def confirm_page(self, certificate, form, status=200):
        if certificate.status == CertificateStatus.REVOKED:
            return redirect(self.success_url(certificate))
        return render(
            self.request,
            "certification/certificates/revoke.html",
            {
                "certificate": certificate,
                "form": form,
                "clawback_reasons": [str(reason.label) for reason in CLAWBACK_REASONS],
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.confirm_page(self.get_object(), RevokeForm())

    def refused(self, certificate, form):
        return self.confirm_page(certificate, form, status=400)


certificate_revoke = CertificateRevoke.as_view()


class RecommendationList(ObjectListView):
    table_class = RecommendationTable
    filterset_class = NationalRecommendationFilterSet
    template_name = "certification/certificates/recommendations.html"
    default_ordering = ("-year", "enterprise__name", "pk")
    # Outcome forms refused by the service, by recommendation, shown again with a 400.
    bound_forms: dict = {}

    def allowed(self, user):
        return services.is_province(user)

    def get_queryset(self):
        return selectors.recommendation_list(user=self.request.user)

    def get_context_data(self, table, **context):
        for row in table.data:
            row.outcome_form = None
            if row.outcome == RecommendationOutcome.PENDING:
                row.outcome_form = self.bound_forms.get(row.pk) or OutcomeForm(
                    prefix=f"r{row.pk}"
                )
        valid = context["filter"].is_valid()
        campaign = context["filter"].form.cleaned_data.get("campaign") if valid else None
        return {**context, "table": table, "campaign": campaign}

    def status(self, context):
        return 400 if self.bound_forms else 200


@allowed_if(services.is_province)
def recommendation_export(request):
    campaign = Campaign.objects.filter(
        kind=CampaignKind.LITTLE_GIANT, pk=request.GET.get("campaign") or 0
    ).first()
    if campaign is None:
        raise Http404
    workbook, name, _count = recommendations.national_recommendations_export(
        actor=request.user, campaign=campaign
    )
    return FileResponse(
        workbook, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
    )


@require_POST
@allowed_if(services.is_province)
def recommendation_outcome(request, pk):
    recommendation = selectors.recommendation_get(user=request.user, pk=pk)
    form = OutcomeForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        result = call_service(
            form, recommendations.national_recommendation_record_outcome, actor=request.user,
            recommendation=recommendation, **form.cleaned_data,
        )
        if result is not None:
            messages.success(request, _("The national outcome has been recorded."))
            return redirect("certification:recommendation-list")
    page = RecommendationList(bound_forms={recommendation.pk: form})
    page.setup(request)
    return page.get(request)
