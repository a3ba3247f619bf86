"""A decision needs the campaign's number of submitted sheets, recused experts not counted:
the boundary of a recusal before and after the replacement draw, through the service and the
pages (the province's decision page and the expert's sheet)."""

import pytest
from django.urls import reverse
from django.utils import translation

from certification.choices import ApplicationStatus
from certification.scoring import PanelCount, panel_count
from certification.services.decisions import application_approve
from certification.services.experts import (
    assignment_declare,
    assignment_score_save,
    assignment_submit,
    experts_draw,
)
from gansu_sme.exceptions import DomainError
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertFactory

MANUAL = ("I4", "I5", "I6", "I9", "I10", "I13")
RECUSAL = "近亲属在该企业任职"


@pytest.fixture
def panel(province_user, enterprise):
    """A campaign of three experts per application; the three sheets drawn, oldest first."""
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        campaign__experts_per_application=3,
    )
    for _ in range(6):
        ExpertFactory()
    draw = experts_draw(actor=province_user, application=application, seed="s")
    return list(draw.assignments.order_by("id"))


def finish(sheet, points="3"):
    user = sheet.expert.user
    assignment_declare(actor=user, assignment=sheet, no_conflict=True)
    assignment_score_save(
        actor=user, assignment=sheet,
        scores={code: {"points": points, "evidence": "依据"} for code in MANUAL},
    )
    return assignment_submit(actor=user, assignment=sheet)


def recuse(sheet):
    return assignment_declare(
        actor=sheet.expert.user, assignment=sheet, no_conflict=False, declaration=RECUSAL
    )


def replacement(province_user, application):
    draw = experts_draw(actor=province_user, application=application)
    return draw.assignments.get()


def approve(province_user, application):
    # The sheets score below the pass mark: approving departs from the panel and says why.
    return application_approve(
        actor=province_user, application=application, reason="省级评审委员会复议通过"
    )


def refusal(province_user, application):
    with pytest.raises(DomainError) as caught:
        approve(province_user, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_EXPERT_REVIEW
    return caught.value


@pytest.mark.parametrize(
    ("count", "complete"),
    [
        (PanelCount(submitted=2, seated=2, required=3), False),  # recused, not replaced
        (PanelCount(submitted=2, seated=3, required=3), False),  # replacement still scoring
        (PanelCount(submitted=3, seated=3, required=3), True),
        (PanelCount(submitted=3, seated=4, required=3), False),  # a seated sheet still open
        (PanelCount(submitted=0, seated=0, required=3), False),
    ],
)
def test_a_panel_is_complete_with_the_required_number_of_submitted_sheets(count, complete):
    assert count.complete is complete


def test_a_recusal_before_the_replacement_draw_blocks_the_approval(province_user, panel):
    application = panel[0].application
    finish(panel[0])
    finish(panel[1])
    recuse(panel[2])

    application.refresh_from_db()
    assert application.panel_score is None
    assert panel_count(application) == PanelCount(submitted=2, seated=2, required=3)
    with translation.override("en"):
        error = refusal(province_user, application)
    assert error.code == "replacement_not_drawn"
    assert "2 of the 3 score sheets required" in str(error.message)


def test_after_the_replacement_draw_the_approval_waits_for_its_sheet(province_user, panel):
    application = panel[0].application
    finish(panel[0])
    finish(panel[1])
    recuse(panel[2])

    new = replacement(province_user, application)

    assert panel_count(application) == PanelCount(submitted=2, seated=3, required=3)
    assert refusal(province_user, application).code == "panel_incomplete"
    finish(new)
    application.refresh_from_db()
    assert application.panel_score is not None
    assert approve(province_user, application).status == ApplicationStatus.APPROVED


def test_a_replacement_who_recuses_in_turn_needs_a_further_draw(province_user, panel):
    application = panel[0].application
    finish(panel[0])
    recuse(panel[1])
    finish(panel[2])
    recuse(replacement(province_user, application))

    assert panel_count(application) == PanelCount(submitted=2, seated=2, required=3)
    assert refusal(province_user, application).code == "replacement_not_drawn"
    finish(replacement(province_user, application))
    assert approve(province_user, application).status == ApplicationStatus.APPROVED


def test_a_first_draw_below_the_campaigns_number_cannot_be_decided(province_user, enterprise):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        campaign__experts_per_application=3,
    )
    for _ in range(4):
        ExpertFactory()
    sheets = list(experts_draw(actor=province_user, application=application, count=2)
                  .assignments.all())
    for sheet in sheets:
        finish(sheet)

    assert refusal(province_user, application).code == "replacement_not_drawn"
    finish(replacement(province_user, application))
    assert approve(province_user, application).status == ApplicationStatus.APPROVED


# --- the pages --------------------------------------------------------------------------------


def decide_page(client, province_user, application):
    client.force_login(province_user)
    with translation.override("zh-hans"):
        return client.get(
            reverse("certification:application-decide", args=[application.pk]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )


def test_the_decision_page_counts_submitted_of_required_without_the_recused(
    client, province_user, panel
):
    application = panel[0].application
    finish(panel[0])
    finish(panel[1])
    recuse(panel[2])

    before = decide_page(client, province_user, application)
    assert 'id="approve"' not in before.text
    assert 'id="replacement-needed"' in before.text
    assert "已提交2份，共需3份" in before.text

    new = replacement(province_user, application)
    after = decide_page(client, province_user, application)
    assert 'id="approve"' not in after.text
    assert 'id="replacement-needed"' not in after.text
    assert "已提交2份，共需3份" in after.text
    assert "共4份" not in after.text and "共需4份" not in after.text

    finish(new)
    done = decide_page(client, province_user, application)
    assert 'id="approve"' in done.text
    assert 'id="panel-score"' in done.text


def test_approving_from_the_page_before_the_replacement_is_refused_with_the_count(
    client, province_user, panel
):
    application = panel[0].application
    finish(panel[0])
    finish(panel[1])
    recuse(panel[2])
    client.force_login(province_user)

    response = client.post(
        reverse("certification:application-approve", args=[application.pk]),
        {"approve-score": "", "approve-reason": ""}, HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    errors = response.context["approve_form"].non_field_errors()
    assert any("2 of the 3 score sheets required" in error for error in errors)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_EXPERT_REVIEW


def test_an_expert_sees_no_other_scores_while_a_recused_place_is_empty(
    client, province_user, panel
):
    first = finish(panel[0], points="4")
    finish(panel[1], points="2")
    recuse(panel[2])
    client.force_login(first.expert.user)
    sheet_url = reverse("certification:assignment-detail", args=[first.pk])

    assert 'id="panel"' not in client.get(sheet_url).text

    finish(replacement(province_user, first.application))
    assert 'id="panel"' in client.get(sheet_url).text
