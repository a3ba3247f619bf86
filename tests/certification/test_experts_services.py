"""The expert panel's services: the pool, the random draw, declarations, sheets, panel score."""

from decimal import Decimal

import pytest

from accounts.choices import Role
from certification.choices import ApplicationStatus, AssignmentStatus, ConflictRule, Verb
from certification.models import Application, ExpertAssignment, ExpertDraw
from certification.scoring import panel_figures
from certification.services.experts import (
    assignment_declare,
    assignment_score_save,
    assignment_submit,
    draw_replay,
    expert_create,
    expert_update,
    experts_draw,
)
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.models import Industry
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import (
    ExpertFactory,
    ExpertRelationshipFactory,
    stored_evaluation,
)
from tests.factories.registry import EnterpriseFactory, region

# The manual scored items of the seeded 专精特新 rule set and their maximum points.
MANUAL_MAX = {"I4": 5, "I5": 5, "I6": 5, "I9": 15, "I10": 10, "I13": 10}


def scores(**points):
    """A full sheet: every manual item at the points given, else 1, with evidence."""
    return {
        code: {"points": str(points.get(code, 1)), "evidence": f"{code} 依据：见申报材料第3页"}
        for code in MANUAL_MAX
    }


@pytest.fixture
def accepted(enterprise):
    """An application of a 城关区 manufacturing firm (C35), accepted by the province."""
    return ApplicationFactory(enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED)


@pytest.fixture
def experts(db):
    return [ExpertFactory() for _ in range(5)]


def draw(province_user, application, **kwargs):
    return experts_draw(actor=province_user, application=application, **kwargs)


def sheet_of(draw_row, index=0):
    return draw_row.assignments.order_by("id")[index]


def declare(assignment, no_conflict=True, declaration=""):
    return assignment_declare(
        actor=assignment.expert.user, assignment=assignment, no_conflict=no_conflict,
        declaration=declaration,
    )


def finish(assignment, **points):
    declare(assignment)
    assignment_score_save(
        actor=assignment.expert.user, assignment=assignment, scores=scores(**points)
    )
    return assignment_submit(actor=assignment.expert.user, assignment=assignment)


# --- the pool ---------------------------------------------------------------------------------


def test_province_adds_an_expert_with_an_expert_account(province_user):
    expert = expert_create(
        actor=province_user, username="wanglei", name="王磊", employer_name="兰州大学",
        employer_uscc="", region=region("620100"), industries=Industry.objects.filter(code="C35"),
        password="Expert-password-2026",
    )

    assert expert.user.role == Role.EXPERT
    assert expert.user.region is None
    assert expert.user.check_password("Expert-password-2026")
    # The reviewer chose it: the expert replaces it at the first sign-in.
    assert expert.user.must_change_password
    assert [i.code for i in expert.industries.all()] == ["C35"]


def test_an_expert_without_a_password_is_refused_on_its_field(province_user):
    with pytest.raises(DomainError) as error:
        expert_create(
            actor=province_user, username="lina", name="李娜", employer_name="兰州大学",
            region=region("620100"),
        )

    assert error.value.code == "invalid_password"
    assert "password" in error.value.fields


def test_a_taken_username_is_refused_on_its_field(province_user, expert_user):
    with pytest.raises(DomainError) as error:
        expert_create(
            actor=province_user, username=expert_user.username, name="王磊",
            employer_name="兰州大学", region=region("620100"), password="Expert-password-2026",
        )

    assert "username" in error.value.fields


def test_an_invalid_employer_credit_code_is_refused(province_user):
    with pytest.raises(DomainError) as error:
        expert_create(
            actor=province_user, username="wanglei", name="王磊", employer_name="兰州大学",
            employer_uscc="91620100ABCDEFGHIJ", region=region("620100"),
            password="Expert-password-2026",
        )

    assert "employer_uscc" in error.value.fields


@pytest.mark.parametrize("role_fixture", ["county_user", "city_user", "expert_user"])
def test_only_the_province_manages_experts(db, request, role_fixture):
    actor = request.getfixturevalue(role_fixture)

    with pytest.raises(PermissionDenied):
        expert_create(
            actor=actor, username="x", name="王磊", employer_name="兰州大学",
            region=region("620100"),
        )


def test_expert_update_changes_fields_and_takes_an_expert_out_of_the_pool(province_user):
    expert = ExpertFactory()

    expert_update(
        actor=province_user, expert=expert, name="王磊（更名）", is_active=False,
        industries=Industry.objects.filter(code__in=["C34", "I65"]),
    )

    expert.refresh_from_db()
    assert (expert.name, expert.is_active) == ("王磊（更名）", False)
    assert expert.user.full_name == "王磊（更名）"
    assert sorted(i.code for i in expert.industries.all()) == ["C34", "I65"]


# --- the draw ---------------------------------------------------------------------------------


def test_draw_moves_the_application_to_expert_review_and_assigns_the_drawn(
    province_user, accepted, experts
):
    result = draw(province_user, accepted)

    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.UNDER_EXPERT_REVIEW
    assert accepted.transitions.get().verb == Verb.START_EXPERT_REVIEW
    assert result.count == accepted.campaign.experts_per_application == 3
    assert result.candidates == sorted(e.pk for e in experts)
    assert sorted(a.expert_id for a in result.assignments.all()) == sorted(result.drawn)
    assert len(result.seed) == 32


def test_a_draw_replays_from_its_record(province_user, accepted, experts):
    result = draw(province_user, accepted, count=4, seed="甘肃2026")

    assert result.drawn == draw_replay(result.candidates, "甘肃2026", 4)
    assert len(set(result.drawn)) == 4


def test_the_same_seed_and_pool_draw_the_same_experts(province_user, experts):
    first = ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED)
    second = ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED)

    a = draw(province_user, first, seed="fixed")
    b = draw(province_user, second, seed="fixed")

    assert a.drawn == b.drawn


def test_conflicted_and_inactive_experts_are_excluded_with_reasons(
    province_user, enterprise, experts
):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        campaign__conflict_rules=[ConflictRule.SAME_COUNTY, ConflictRule.SAME_PREFECTURE],
    )
    employee = ExpertFactory(employer_uscc=enterprise.uscc, region=region("620500"))
    related = ExpertRelationshipFactory(
        enterprise=enterprise, expert__region=region("620500")
    ).expert
    retired = ExpertFactory(is_active=False, region=region("620500"))
    same_county = ExpertFactory(region=region("620102"))
    free = [ExpertFactory(region=region(code)) for code in ("620500", "620000", "620200")]

    result = draw(province_user, application)

    assert result.excluded[str(employee.pk)] == [ConflictRule.SAME_EMPLOYER]
    assert result.excluded[str(related.pk)] == [ConflictRule.DECLARED_RELATIONSHIP]
    assert result.excluded[str(retired.pk)] == ["inactive"]
    assert result.excluded[str(same_county.pk)] == sorted(
        [ConflictRule.SAME_COUNTY, ConflictRule.SAME_PREFECTURE]
    )
    # The five experts of the fixture sit in 兰州市, the applicant's prefecture.
    assert all(result.excluded[str(e.pk)] == [ConflictRule.SAME_PREFECTURE] for e in experts)
    assert result.candidates == sorted(e.pk for e in free)
    assert sorted(result.drawn) == result.candidates


def test_without_extra_rules_an_expert_of_the_same_county_may_be_drawn(
    province_user, accepted
):
    neighbours = [ExpertFactory(region=region("620102")) for _ in range(3)]

    result = draw(province_user, accepted)

    assert sorted(result.drawn) == sorted(e.pk for e in neighbours)


def test_experts_of_the_enterprises_industry_section_are_preferred_when_enough(
    province_user, accepted, experts
):
    # C35 is in section C (manufacturing); C13 is another division of the same section.
    in_section = ExpertFactory(industries=["C13"])
    outsiders = [ExpertFactory(industries=["I65"]) for _ in range(2)]

    result = draw(province_user, accepted, count=6)

    assert result.candidates == sorted([*(e.pk for e in experts), in_section.pk])
    assert all(result.excluded[str(e.pk)] == ["other_field"] for e in outsiders)


def test_experts_of_other_fields_fill_the_panel_when_too_few_match(province_user, accepted):
    matching = ExpertFactory()
    outsiders = [ExpertFactory(industries=["I65"]) for _ in range(2)]

    result = draw(province_user, accepted)

    assert result.candidates == sorted([matching.pk, *(e.pk for e in outsiders)])
    assert result.excluded == {}


def test_too_few_eligible_experts_refuse_the_draw_and_change_nothing(
    province_user, accepted, experts
):
    with pytest.raises(DomainError) as error:
        draw(province_user, accepted, count=6)

    assert error.value.code == "too_few_experts"
    assert "count" in error.value.fields
    accepted.refresh_from_db()
    assert accepted.status == ApplicationStatus.PROVINCE_ACCEPTED
    assert not ExpertDraw.objects.exists()
    assert not accepted.transitions.exists()


@pytest.mark.parametrize("role_fixture", ["county_user", "city_user", "expert_user", "api_user"])
def test_only_the_province_draws(request, role_fixture, accepted, experts):
    with pytest.raises(PermissionDenied):
        draw(request.getfixturevalue(role_fixture), accepted)


@pytest.mark.parametrize(
    "status", [ApplicationStatus.CITY_RECOMMENDED, ApplicationStatus.APPROVED]
)
def test_no_draw_outside_acceptance_and_expert_review(province_user, experts, status):
    application = ApplicationFactory(status=status)

    with pytest.raises(InvalidTransition):
        draw(province_user, application)


def test_a_recused_expert_is_replaced_by_a_further_recorded_draw(
    province_user, accepted, experts
):
    first = draw(province_user, accepted)
    recused = sheet_of(first)
    declare(recused, no_conflict=False, declaration="系该企业法定代表人的亲属")

    second = draw(province_user, accepted)

    assert second.count == 1
    assert all(str(pk) in second.excluded for pk in first.drawn)
    assert second.excluded[str(recused.expert_id)] == ["already_assigned"]
    assert accepted.assignments.exclude(status=AssignmentStatus.RECUSED).count() == 3
    assert ExpertDraw.objects.filter(application=accepted).count() == 2
    assert accepted.transitions.count() == 1


def test_without_a_recusal_there_is_nothing_to_replace(province_user, accepted, experts):
    draw(province_user, accepted)

    with pytest.raises(DomainError) as error:
        draw(province_user, accepted)

    assert error.value.code == "no_recused_expert"


# --- declaration and visibility ---------------------------------------------------------------


def test_the_file_opens_to_an_expert_only_after_declaring_no_conflict(
    province_user, accepted, experts
):
    sheet = sheet_of(draw(province_user, accepted))
    user = sheet.expert.user
    assert not Application.objects.visible_to(user).exists()

    declared = declare(sheet, declaration="本人与该企业无利益关系。")

    assert declared.status == AssignmentStatus.DECLARED
    assert declared.declared_at is not None
    assert list(Application.objects.visible_to(user)) == [accepted]


def test_declaring_a_conflict_recuses_and_needs_the_reason(province_user, accepted, experts):
    sheet = sheet_of(draw(province_user, accepted))

    with pytest.raises(DomainError) as error:
        declare(sheet, no_conflict=False)
    assert "declaration" in error.value.fields

    recused = declare(sheet, no_conflict=False, declaration="曾在该企业任职")
    assert recused.status == AssignmentStatus.RECUSED
    assert not Application.objects.visible_to(sheet.expert.user).exists()
    with pytest.raises(InvalidTransition):
        declare(sheet, no_conflict=True)


def test_an_expert_sees_only_their_own_sheets(province_user, accepted, experts):
    result = draw(province_user, accepted)
    sheet = sheet_of(result)

    assert list(ExpertAssignment.objects.visible_to(sheet.expert.user)) == [sheet]
    assert ExpertAssignment.objects.visible_to(province_user).count() == 3


def test_another_expert_cannot_touch_a_sheet(province_user, accepted, experts):
    result = draw(province_user, accepted)
    sheet, other = sheet_of(result, 0), sheet_of(result, 1)

    with pytest.raises(OutOfScope):
        assignment_declare(actor=other.expert.user, assignment=sheet, no_conflict=True)
    with pytest.raises(PermissionDenied):
        assignment_declare(actor=province_user, assignment=sheet, no_conflict=True)


# --- scoring ----------------------------------------------------------------------------------


@pytest.fixture
def declared(province_user, accepted, experts):
    stored_evaluation(accepted, {"I1": "5", "I2": "8", "I7": "6.5"})
    sheet = sheet_of(draw(province_user, accepted))
    return declare(sheet)


def save(sheet, entries, **kwargs):
    return assignment_score_save(
        actor=sheet.expert.user, assignment=sheet, scores=entries, **kwargs
    )


def test_scoring_before_declaring_is_refused(province_user, accepted, experts):
    sheet = sheet_of(draw(province_user, accepted))

    with pytest.raises(InvalidTransition):
        save(sheet, {"I4": {"points": "3", "evidence": "见附件"}})


def test_scores_are_saved_in_parts(declared):
    save(declared, {"I4": {"points": "3", "evidence": "补短板成效见附件2"}})
    sheet = save(declared, {"I9": {"points": "12.5", "evidence": "特色指标"}}, comment="初评")

    assert sheet.scores == {
        "I4": {"points": "3.0", "evidence": "补短板成效见附件2"},
        "I9": {"points": "12.5", "evidence": "特色指标"},
    }
    assert sheet.comment == "初评"
    assert sheet.status == AssignmentStatus.DECLARED


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"I4": {"points": "6", "evidence": "x"}}, "I4.points"),
        ({"I4": {"points": "-1", "evidence": "x"}}, "I4.points"),
        ({"I4": {"points": "2.25", "evidence": "x"}}, "I4.points"),
        ({"I4": {"points": "abc", "evidence": "x"}}, "I4.points"),
        ({"I4": {"points": "2", "evidence": "  "}}, "I4.evidence"),
        ({"I1": {"points": "2", "evidence": "x"}}, "scores"),
    ],
)
def test_points_out_of_range_or_without_evidence_are_refused(declared, entry, field):
    with pytest.raises(DomainError) as error:
        save(declared, entry)

    assert field in error.value.fields


def test_zero_points_need_no_evidence(declared):
    sheet = save(declared, {"I13": {"points": "0", "evidence": ""}})

    assert sheet.scores["I13"] == {"points": "0.0", "evidence": ""}


def test_submitting_needs_every_manual_item(declared):
    save(declared, {"I4": {"points": "3", "evidence": "见附件"}})

    with pytest.raises(DomainError) as error:
        assignment_submit(actor=declared.expert.user, assignment=declared)

    assert set(error.value.fields) == {f"{code}.points" for code in MANUAL_MAX if code != "I4"}


def test_the_sheet_total_is_automatic_points_plus_manual_points(declared):
    save(declared, scores(I9=12.5))

    sheet = assignment_submit(actor=declared.expert.user, assignment=declared)

    # Automatic 5 + 8 + 6.5 = 19.5; manual 1 × 5 items + 12.5 = 17.5.
    assert sheet.total == Decimal("37.0")
    assert sheet.status == AssignmentStatus.SUBMITTED
    assert sheet.submitted_at is not None


def test_a_submitted_sheet_is_locked(declared):
    save(declared, scores())
    assignment_submit(actor=declared.expert.user, assignment=declared)

    with pytest.raises(InvalidTransition):
        save(declared, {"I4": {"points": "5", "evidence": "改分"}})
    with pytest.raises(InvalidTransition):
        declare(declared, no_conflict=False, declaration="改为回避")
    again = assignment_submit(actor=declared.expert.user, assignment=declared)
    assert again.status == AssignmentStatus.SUBMITTED


# --- the panel score --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "score", "spread"),
    [
        (["70", "80", "90"], "80.0", "20.0"),
        (["70", "71"], "70.5", "1.0"),
        # 1/3 rounds down, 2/3 rounds up; .05 rounds half up.
        (["70", "70", "71"], "70.3", "1.0"),
        (["70", "71", "71"], "70.7", "1.0"),
        (["70.1", "70.0"], "70.1", "0.1"),
        # Five or more: one highest and one lowest dropped.
        (["10", "70", "72", "74", "99"], "72.0", "89.0"),
        (["60", "61", "62", "63", "64", "95"], "62.5", "35.0"),
    ],
)
def test_panel_figures(totals, score, spread):
    assert panel_figures(totals) == (Decimal(score), Decimal(spread))


def test_the_panel_score_is_written_when_the_last_sheet_is_in(province_user, accepted, experts):
    result = draw(province_user, accepted)
    sheets = list(result.assignments.order_by("id"))

    finish(sheets[0], I9=15)
    finish(sheets[1], I9=5)
    accepted.refresh_from_db()
    assert accepted.panel_score is None

    finish(sheets[2], I9=10)
    accepted.refresh_from_db()
    # Manual points 5 + 15, 5 + 5, 5 + 10; no stored evaluation, so no automatic points.
    assert accepted.panel_score == Decimal("15.0")
    assert accepted.panel_spread == Decimal("10.0")
    assert accepted.panel_spread_flagged is False


def test_a_spread_above_the_threshold_is_flagged(province_user, enterprise, experts):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        campaign__score_spread_threshold=Decimal("9.9"), campaign__experts_per_application=2,
    )
    sheets = list(draw(province_user, application).assignments.order_by("id"))

    finish(sheets[0], I9=15)
    finish(sheets[1], I9=5)

    application.refresh_from_db()
    assert application.panel_spread == Decimal("10.0")
    assert application.panel_spread_flagged is True


def test_five_sheets_give_the_trimmed_mean(province_user, accepted, experts):
    sheets = list(draw(province_user, accepted, count=5).assignments.order_by("id"))
    for sheet, points in zip(sheets, [0, 7, 8, 9, 15], strict=True):
        finish(sheet, I9=points)

    accepted.refresh_from_db()
    # Totals 5, 12, 13, 14, 20: the mean of 12, 13, 14.
    assert accepted.panel_score == Decimal("13.0")
    assert accepted.panel_spread == Decimal("15.0")


def test_a_recusal_that_leaves_only_submitted_sheets_does_not_complete_the_panel(
    province_user, accepted, experts
):
    sheets = list(draw(province_user, accepted).assignments.order_by("id"))
    finish(sheets[0], I9=10)
    finish(sheets[1], I9=12)

    declare(sheets[2], no_conflict=False, declaration="近亲属在该企业任职")

    accepted.refresh_from_db()
    # Two of the three sheets the campaign requires: the replacement's sheet is awaited.
    assert accepted.panel_score is None


def test_a_replacement_draw_reopens_the_panel(province_user, accepted, experts):
    sheets = list(draw(province_user, accepted).assignments.order_by("id"))
    finish(sheets[0])
    finish(sheets[1])
    declare(sheets[2], no_conflict=False, declaration="近亲属在该企业任职")

    replacement = sheet_of(draw(province_user, accepted))

    accepted.refresh_from_db()
    assert accepted.panel_score is None
    finish(replacement, I9=4)
    accepted.refresh_from_db()
    # Totals 6, 6 and 5 + 4.
    assert accepted.panel_score == Decimal("7.0")


def test_scoring_stops_when_the_application_leaves_expert_review(
    province_user, accepted, experts
):
    sheet = declare(sheet_of(draw(province_user, accepted)))
    Application.objects.filter(pk=accepted.pk).update(status=ApplicationStatus.REJECTED)

    with pytest.raises(InvalidTransition):
        save(sheet, scores())


def test_experts_from_another_city_are_fine_for_a_tianshui_firm(
    province_user, tianshui_enterprise, experts
):
    application = ApplicationFactory(
        enterprise=tianshui_enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        campaign__conflict_rules=[ConflictRule.SAME_PREFECTURE],
    )
    EnterpriseFactory()  # an unrelated firm changes nothing

    result = draw(province_user, application)

    assert result.excluded == {}
