"""The certification demo data: a campaign at every stage, loaded by ``load_demo`` once."""

import pytest

from certification.choices import (
    ApplicationStatus,
    AssignmentStatus,
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    ObjectionStatus,
    RecommendationOutcome,
    Verb,
)
from certification.models import (
    Application,
    ApplicationTransition,
    Certificate,
    ExpertAssignment,
    NationalRecommendation,
    Objection,
)
from demo.certification import CURRENT_TITLE, demo_certification_load
from demo.monitoring import demo_monitoring_load
from demo.registry import demo_data_load

pytestmark = pytest.mark.django_db

# The load takes seconds: it runs once, and each check below reads what it wrote. Only what
# certification's demo builds on is loaded before it (load_demo runs the other apps' too).


def test_the_demo_fills_every_stage_of_the_workflow_once():
    demo_data_load()
    demo_monitoring_load()
    assert not demo_certification_load().unchanged

    check_every_application_status_appears()
    check_a_returned_draft_and_a_panel_half_way()
    check_certificates_in_every_status_and_a_renewal()
    check_the_national_recommendations()

    counts = (Application.objects.count(), Certificate.objects.count(),
              ApplicationTransition.objects.count())
    assert demo_certification_load().unchanged
    assert counts == (Application.objects.count(), Certificate.objects.count(),
                      ApplicationTransition.objects.count())


def check_every_application_status_appears():
    present = set(Application.objects.values_list("status", flat=True))
    assert present == set(ApplicationStatus.values)
    current = Application.objects.filter(campaign__title=CURRENT_TITLE)
    assert {ApplicationStatus.DRAFT, ApplicationStatus.CERTIFIED} <= set(
        current.values_list("status", flat=True)
    )


def check_a_returned_draft_and_a_panel_half_way():
    returned = ApplicationTransition.objects.filter(
        verb=Verb.RETURN, application__status=ApplicationStatus.DRAFT
    )
    assert returned.exists()
    reviewing = Application.objects.get(
        campaign__title=CURRENT_TITLE, status=ApplicationStatus.UNDER_EXPERT_REVIEW
    )
    sheets = set(
        ExpertAssignment.objects.filter(application=reviewing).values_list("status", flat=True)
    )
    assert AssignmentStatus.SUBMITTED in sheets and sheets != {AssignmentStatus.SUBMITTED}
    assert ExpertAssignment.objects.filter(
        application=reviewing, expert__user__username="expert1"
    ).exists()
    assert Objection.objects.filter(status=ObjectionStatus.PENDING).count() == 1


def check_certificates_in_every_status_and_a_renewal():
    # Numbered by certification's own format: the subsidies demo writes certificates too.
    issued = Certificate.objects.filter(number__startswith="GS-")
    assert set(issued.values_list("status", flat=True)) == set(CertificateStatus.values)
    national = issued.get(level=CertificateLevel.NATIONAL)
    assert national.status == CertificateStatus.ACTIVE
    renewed = issued.get(renewed_on__isnull=False)
    renewal = Application.objects.get(campaign__kind=CampaignKind.RE_REVIEW)
    assert (renewal.status, renewal.renews) == (ApplicationStatus.CERTIFIED, renewed)


def check_the_national_recommendations():
    outcomes = sorted(NationalRecommendation.objects.values_list("outcome", flat=True))
    assert outcomes == [RecommendationOutcome.APPROVED, RecommendationOutcome.PENDING]
    approved = NationalRecommendation.objects.get(outcome=RecommendationOutcome.APPROVED)
    assert approved.certificate.level == CertificateLevel.NATIONAL
