"""Twenty simultaneous approvals of one application, on PostgreSQL with real threads, give one
transition and, once its notice has run, one certificate."""

import datetime
from decimal import Decimal

import pytest

from accounts.choices import Role
from certification.choices import ApplicationStatus, AssignmentStatus, Verb
from certification.models import Application, ApplicationTransition, Certificate, Notice
from certification.services.decisions import application_approve
from certification.services.notices import notice_close, notice_publish
from gansu_sme.exceptions import InvalidTransition
from tests.concurrency import run_together
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertAssignmentFactory, ExpertDrawFactory
from tests.factories.registry import region

CALLERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_approvals_give_one_transition_and_one_certificate(reference_data):
    province_user = UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))
    application = ApplicationFactory(
        status=ApplicationStatus.UNDER_EXPERT_REVIEW, panel_score=Decimal("78.0")
    )
    panel = application.campaign.experts_per_application
    draw = ExpertDrawFactory(application=application, count=panel)
    for _ in range(panel):
        ExpertAssignmentFactory(
            draw=draw, status=AssignmentStatus.SUBMITTED, total=Decimal("78.0")
        )

    def approve(_index):
        return application_approve(
            actor=province_user, application=Application.objects.get(pk=application.pk)
        ).status

    outcomes = run_together(CALLERS, approve)

    # Each caller either sees the approval (its own, or the one it repeats) or is refused.
    assert all(
        outcome == ApplicationStatus.APPROVED or isinstance(outcome, InvalidTransition)
        for outcome in outcomes
    ), outcomes
    assert ApplicationTransition.objects.filter(
        application=application, verb=Verb.APPROVE
    ).count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decision_score == Decimal("78.0")

    notice = notice_publish(
        actor=province_user, campaign=application.campaign, applications=[application],
        title="2026年省级专精特新中小企业拟认定名单公示", contact_person="李明",
        telephone="0931-8468123",
    )
    after = notice.ends_on + datetime.timedelta(days=1)
    closes = run_together(
        CALLERS,
        lambda _index: notice_close(notice=Notice.objects.get(pk=notice.pk), today=after).pk,
    )

    assert closes == [notice.pk] * CALLERS
    assert Certificate.objects.filter(application=application).count() == 1
