from django.urls import path  # noqa: F401

from certification.views import (
    applications,
    campaigns,
    certificates,
    decisions,
    documents,
    experts,
    notices,
)

app_name = "certification"
urlpatterns = [
    path("campaigns/", campaigns.CampaignList.as_view(), name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign-edit"),
    path("applications/", applications.ApplicationList.as_view(), name="application-list"),
    path("applications/new/", applications.application_create, name="application-create"),
    path("applications/precheck/", applications.application_precheck, name="precheck"),
    path("applications/firms/", applications.firm_search, name="firm-search"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/precheck/", applications.application_precheck,
        name="application-precheck",
    ),
    path(
        "applications/<int:pk>/attachments/", applications.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        applications.attachment_download, name="attachment-download",
    ),
    *(
        path(
            f"applications/<int:pk>/{verb}/", applications.action_view(verb),
            name=f"application-{verb}",
        )
        for verb in applications.PAGE_VERBS
    ),
    path("tasks/", applications.ApplicationTasks.as_view(), name="tasks"),
    path(
        "documents/recommendation-summary/", documents.recommendation_summary,
        name="recommendation-summary",
    ),
    path("documents/certified-list/", documents.certified_list, name="certified-list"),
    path("experts/", experts.ExpertList.as_view(), name="expert-list"),
    path("experts/new/", experts.expert_create, name="expert-create"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert-edit"),
    path("assignments/", experts.AssignmentList.as_view(), name="assignment-list"),
    path("assignments/<int:pk>/", experts.assignment_detail, name="assignment-detail"),
    path(
        "assignments/<int:pk>/declare/", experts.assignment_declare, name="assignment-declare"
    ),
    path("assignments/<int:pk>/score/", experts.assignment_score, name="assignment-score"),
    path("assignments/<int:pk>/submit/", experts.assignment_submit, name="assignment-submit"),
    path("applications/<int:pk>/draw/", decisions.application_draw, name="application-draw"),
    path(
        "applications/<int:pk>/decide/", decisions.application_decide,
        name="application-decide",
    ),
    path(
        "applications/<int:pk>/decide/approve/", decisions.application_approve,
        name="application-approve",
    ),
    path(
        "applications/<int:pk>/decide/reject/", decisions.application_reject,
        name="application-reject",
    ),
    path("notices/", notices.NoticeList.as_view(), name="notice-list"),
    path("notices/new/", notices.notice_create, name="notice-create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/close/", notices.notice_close, name="notice-close"),
    path("notices/<int:pk>/print/", notices.notice_print, name="notice-print"),
    path("objections/<int:pk>/decide/", notices.objection_decide, name="objection-decide"),
    path("certificates/", certificates.CertificateList.as_view(), name="certificate-list"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate-detail"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate-pdf"),
    path(
        "certificates/<int:pk>/revoke/", certificates.certificate_revoke,
        name="certificate-revoke",
    ),
    path("recommendations/", certificates.RecommendationList.as_view(), name="recommendation-list"),
    path(
        "recommendations/export/", certificates.recommendation_export,
        name="recommendation-export",
    ),
    path(
        "recommendations/<int:pk>/outcome/", certificates.recommendation_outcome,
        name="recommendation-outcome",
    ),
]
