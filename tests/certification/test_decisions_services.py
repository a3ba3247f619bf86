"""The province's decision after the panel: approve, reject, and departing from the panel."""

from decimal import Decimal

import pytest

from certification.choices import ApplicationStatus, AssignmentStatus, Verb
from certification.services.decisions import application_approve, application_reject
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertAssignmentFactory, ExpertDrawFactory


def reviewed(
    panel_score, *, statuses=(AssignmentStatus.SUBMITTED,) * 3, draw_count=None, **fields
):
    """An application under expert review whose sheets stand in ``statuses``."""
    application = ApplicationFactory(
        status=ApplicationStatus.UNDER_EXPERT_REVIEW,
        panel_score=None if panel_score is None else Decimal(panel_score),
        **fields,
    )
    draw = ExpertDrawFactory(application=application, count=draw_count or len(statuses))
    for status in statuses:
        total = Decimal(panel_score or 0) if status == AssignmentStatus.SUBMITTED else None
        ExpertAssignmentFactory(draw=draw, status=status, total=total)
    return application


def test_approval_takes_the_panel_score_without_a_reason(province_user):
    application = reviewed("72.5")

    approved = application_approve(actor=province_user, application=application)

    assert approved.status == ApplicationStatus.APPROVED
    assert approved.decision_score == Decimal("72.5")
    assert approved.departure_reason == ""
    assert approved.transitions.get().verb == Verb.APPROVE


def test_approval_waits_for_every_sheet(province_user):
    application = reviewed(
        None, statuses=(AssignmentStatus.SUBMITTED, AssignmentStatus.DECLARED),
        campaign__experts_per_application=2,
    )

    with pytest.raises(DomainError) as error:
        application_approve(actor=province_user, application=application)

    assert error.value.code == "panel_incomplete"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_EXPERT_REVIEW


def test_a_recused_sheet_replaced_and_submitted_lets_the_approval_through(province_user):
    application = reviewed(
        "80",
        statuses=(AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED)
        + (AssignmentStatus.SUBMITTED,) * 2,
        draw_count=3, campaign__experts_per_application=3,
    )

    assert application_approve(actor=province_user, application=application).status == (
        ApplicationStatus.APPROVED
    )


def test_a_recused_sheet_not_replaced_holds_up_the_approval(province_user):
    application = reviewed(
        "80",
        statuses=(AssignmentStatus.SUBMITTED,) * 2 + (AssignmentStatus.RECUSED,),
        campaign__experts_per_application=3,
    )

    with pytest.raises(DomainError) as error:
        application_approve(actor=province_user, application=application)

    assert error.value.code == "replacement_not_drawn"


def test_a_score_other_than_the_panels_needs_the_reason_and_is_stored(province_user):
    application = reviewed("72.5")

    with pytest.raises(DomainError) as error:
        application_approve(actor=province_user, application=application, score="75")
    assert "reason" in error.value.fields

    approved = application_approve(
        actor=province_user, application=application, score="75",
        reason="专家组漏计省级质量奖，复核后加2.5分",
    )
    assert approved.decision_score == Decimal("75.0")
    assert approved.departure_reason == "专家组漏计省级质量奖，复核后加2.5分"


def test_approving_below_the_pass_mark_needs_the_reason(province_user):
    application = reviewed("55")

    with pytest.raises(DomainError) as error:
        application_approve(actor=province_user, application=application)
    assert "reason" in error.value.fields

    approved = application_approve(
        actor=province_user, application=application, reason="属全省重点产业链补链企业"
    )
    assert approved.departure_reason == "属全省重点产业链补链企业"
    assert approved.decision_score == Decimal("55.0")


def test_rejecting_at_or_above_the_pass_mark_stores_the_reason_as_departure(province_user):
    application = reviewed("60")

    rejected = application_reject(
        actor=province_user, application=application, reason="核查发现研发费用归集不实"
    )

    assert rejected.status == ApplicationStatus.REJECTED
    assert rejected.decision_score == Decimal("60.0")
    assert rejected.departure_reason == "核查发现研发费用归集不实"


def test_rejecting_below_the_pass_mark_follows_the_panel(province_user):
    rejected = application_reject(
        actor=province_user, application=reviewed("48"), reason="评分未达60分"
    )

    assert rejected.departure_reason == ""
    assert rejected.decision_score == Decimal("48.0")


def test_rejection_needs_a_reason(province_user):
    with pytest.raises(DomainError) as error:
        application_reject(actor=province_user, application=reviewed("48"), reason=" ")

    assert "reason" in error.value.fields


def test_an_accepted_application_may_be_rejected_before_any_panel(province_user):
    application = ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED)

    rejected = application_reject(
        actor=province_user, application=application, reason="不符合申报条件"
    )

    assert rejected.status == ApplicationStatus.REJECTED
    assert rejected.decision_score is None


def test_a_firm_in_public_notice_is_rejected_only_through_an_objection(province_user):
    application = ApplicationFactory(status=ApplicationStatus.PUBLIC_NOTICE)

    with pytest.raises(InvalidTransition) as refused:
        application_reject(actor=province_user, application=application, reason="复查发现问题")

    assert refused.value.code == "in_public_notice"

    application.refresh_from_db()
    assert application.status == ApplicationStatus.PUBLIC_NOTICE
    assert not application.transitions.exists()


@pytest.mark.parametrize(
    ("role_fixture", "refusal"),
    [
        ("county_user", PermissionDenied),
        ("city_user", PermissionDenied),
        ("api_user", PermissionDenied),
        # An expert does not see the file of a panel they are not on: as if it did not exist.
        ("expert_user", OutOfScope),
    ],
)
def test_only_the_province_decides(db, request, role_fixture, refusal):
    actor = request.getfixturevalue(role_fixture)
    application = reviewed("72.5")

    with pytest.raises(refusal):
        application_approve(actor=actor, application=application)
    with pytest.raises(refusal):
        application_reject(actor=actor, application=application, reason="不符合条件")


def test_approving_twice_is_harmless(province_user):
    application = reviewed("72.5")
    application_approve(actor=province_user, application=application)

    again = application_approve(actor=province_user, application=application)

    assert again.status == ApplicationStatus.APPROVED
    assert again.transitions.count() == 1


def test_a_rejected_application_cannot_be_approved(province_user):
    application = reviewed("72.5")
    application_reject(actor=province_user, application=application, reason="材料不实")

    with pytest.raises(InvalidTransition):
        application_approve(actor=province_user, application=application)
