"""The expert panel's API: experts, score sheets and the draw / decision handlers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus, AssignmentStatus
from certification.models import Expert, ExpertAssignment
from certification.services.experts import (
    assignment_declare,
    assignment_score_save,
    assignment_submit,
    experts_draw,
)
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertFactory, stored_evaluation
from tests.permissions import ACTORS, permission_matrix, user_of

EXPERTS = reverse("certification-api:expert-list")
SHEETS = reverse("certification-api:expert-assignment-list")
MANUAL = ("I4", "I5", "I6", "I9", "I10", "I13")


def sheet_url(sheet, verb=None):
    if verb:
        return reverse(f"certification-api:expert-assignment-{verb}", args=[sheet.pk])
    return reverse("certification-api:expert-assignment-detail", args=[sheet.pk])


def full_scores(points="3"):
    return {code: {"points": points, "evidence": "见附件"} for code in MANUAL}


@pytest.fixture
def application(enterprise):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED
    )
    stored_evaluation(application, {"I1": "5", "I7": "8"})
    return application


@pytest.fixture
def panel(province_user, application):
    for _ in range(3):
        ExpertFactory()
    draw = experts_draw(actor=province_user, application=application)
    return list(draw.assignments.select_related("expert__user").order_by("id"))


def finish(sheet, points="3"):
    user = sheet.expert.user
    assignment_declare(actor=user, assignment=sheet, no_conflict=True)
    assignment_score_save(actor=user, assignment=sheet, scores=full_scores(points))
    return assignment_submit(actor=user, assignment=sheet)


# --- /experts/ --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        (None, 401),
        ("county_user", 403),
        ("city_user", 403),
        ("expert_user", 403),
        ("api_user", 403),
        ("province_user", 200),
    ],
)
def test_the_expert_pool_is_the_provinces(db, as_user, request, actor, status):
    user = request.getfixturevalue(actor) if actor else None
    ExpertFactory()

    response = as_user(user).get(EXPERTS)

    assert response.status_code == status


def test_the_province_adds_and_changes_an_expert(as_user, province_user):
    client = as_user(province_user)

    created = client.post(EXPERTS, {
        "username": "sunli", "name": "孙丽", "employer_name": "甘肃省机械科学研究院",
        "region": "620100", "industries": ["C35", "C34"], "password": "Expert-password-2026",
    }, format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["username"], body["industries"], body["is_active"]) == (
        "sunli", ["C34", "C35"], True
    )
    assert "password" not in body
    url = reverse("certification-api:expert-detail", args=[body["id"]])
    changed = client.patch(url, {"is_active": False, "industries": ["I65"]}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["is_active"], changed.json()["industries"]) == (False, ["I65"])


def test_a_taken_username_answers_400_on_its_field(as_user, province_user, expert_user):
    response = as_user(province_user).post(EXPERTS, {
        "username": expert_user.username, "name": "孙丽", "employer_name": "研究院",
        "region": "620100", "password": "Expert-password-2026",
    }, format="json")

    assert response.status_code == 400
    assert "username" in response.json()["fields"]
    assert not Expert.objects.filter(name="孙丽").exists()


# --- /expert-assignments/ ---------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_an_expert_lists_only_their_sheets(as_user, panel):
    assert ids(as_user(panel[0].expert.user).get(SHEETS)) == [panel[0].pk]


@pytest.mark.parametrize(
    ("actor", "sheets"),
    [("county_user", 0), ("city_user", 0), ("api_user", 0), ("province_user", 3)],
)
def test_local_staff_never_learn_who_reviews_their_firms(as_user, request, panel, actor, sheets):
    user = request.getfixturevalue(actor)
    client = as_user(user)

    assert len(ids(client.get(SHEETS))) == sheets
    assert client.get(sheet_url(panel[0])).status_code == (200 if sheets else 404)


def test_another_experts_sheet_answers_404(as_user, panel):
    client = as_user(panel[1].expert.user)

    assert client.get(sheet_url(panel[0])).status_code == 404
    response = client.post(sheet_url(panel[0], "declare"), {"no_conflict": True}, format="json")
    assert response.status_code == 404


def test_staff_cannot_act_on_a_sheet(as_user, province_user, panel):
    response = as_user(province_user).post(
        sheet_url(panel[0], "declare"), {"no_conflict": True}, format="json"
    )

    assert response.status_code == 403


def test_an_expert_declares_scores_and_submits(as_user, panel):
    sheet = panel[0]
    client = as_user(sheet.expert.user)

    early = client.post(sheet_url(sheet, "score"), {"scores": full_scores()}, format="json")
    assert early.status_code == 409

    declared = client.post(sheet_url(sheet, "declare"), {"no_conflict": True}, format="json")
    assert declared.json()["status"] == AssignmentStatus.DECLARED

    bad = client.post(
        sheet_url(sheet, "score"), {"scores": {"I4": {"points": "7", "evidence": "x"}}},
        format="json",
    )
    assert bad.status_code == 400
    assert "I4.points" in bad.json()["fields"]

    saved = client.post(sheet_url(sheet, "score"), {"scores": full_scores()}, format="json")
    assert saved.status_code == 200
    assert saved.json()["scores"]["I9"] == {"points": "3.0", "evidence": "见附件"}

    submitted = client.post(sheet_url(sheet, "submit"))
    assert submitted.status_code == 200
    # 13 automatic + 6 × 3 manual.
    assert (submitted.json()["status"], submitted.json()["total"]) == ("submitted", "31.0")

    locked = client.post(sheet_url(sheet, "score"), {"scores": full_scores("1")}, format="json")
    assert locked.status_code == 409
    assert locked.json()["code"] == "sheet_submitted"


def test_other_sheets_scores_are_null_until_the_panel_is_complete(
    as_user, province_user, panel
):
    finish(panel[0], "4")
    client = as_user(province_user)

    rows = client.get(SHEETS).json()["results"]
    assert {row["status"] for row in rows} == {"submitted", "assigned"}
    assert all(row["scores"] is None and row["total"] is None for row in rows)
    own = as_user(panel[0].expert.user).get(sheet_url(panel[0])).json()
    assert own["total"] == "37.0"

    finish(panel[1], "4")
    finish(panel[2], "2")
    rows = client.get(SHEETS).json()["results"]
    assert sorted(row["total"] for row in rows) == ["25.0", "37.0", "37.0"]
    assert all(row["panel_complete"] for row in rows)


@pytest.mark.parametrize("extra", [0, 12])
def test_the_sheet_list_costs_the_same_queries_for_more_rows(
    as_user, province_user, django_assert_num_queries, extra
):
    for _ in range(3 + extra):
        ExpertFactory()
    for _ in range(1 + extra // 3):
        application = ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED)
        experts_draw(actor=province_user, application=application)
    client = as_user(province_user)

    # Two token lookups, the user's region (for scoping), the page of sheets.
    with django_assert_num_queries(4):
        response = client.get(SHEETS, {"page_size": 200})

    assert len(ids(response)) == 3 * (1 + extra // 3)


# --- drawing and deciding, as actions of the applications endpoint ----------------------------


def call(action, user, application, data, as_user):
    url = reverse(f"certification-api:application-{action}", args=[application.pk])
    return as_user(user).post(url, data, format="json")


def test_draw_handler_draws_and_answers_the_record(province_user, application, as_user):
    for _ in range(3):
        ExpertFactory()

    response = call("draw-experts", province_user, application, {"seed": "abc"}, as_user)

    assert response.status_code == 201
    assert response.data["seed"] == "abc"
    assert len(response.data["drawn"]) == 3


def test_draw_handler_refuses_too_few_experts(province_user, application, as_user):
    response = call("draw-experts", province_user, application, {"count": 2}, as_user)

    assert response.status_code == 400
    assert "count" in response.data["fields"]


def test_handlers_hide_applications_out_of_scope(other_city_user, application, as_user):
    response = call("reject", other_city_user, application, {"reason": "x"}, as_user)

    assert response.status_code == 404


def test_approve_and_reject_handlers(province_user, panel, as_user):
    for sheet in panel:
        finish(sheet)
    application = panel[0].application

    refused = call("approve", province_user, application, {"score": "40"}, as_user)
    assert refused.status_code == 400
    assert "reason" in refused.data["fields"]

    approved = call(
        "approve", province_user, application, {"reason": "属全省重点产业链补链企业"}, as_user
    )
    assert approved.status_code == 200
    assert approved.data["status"] == ApplicationStatus.APPROVED
    assert Decimal(approved.data["decision_score"]) == Decimal("31.0")

    other = ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED)
    assert call("reject", province_user, other, {}, as_user).status_code == 400
    rejected = call("reject", province_user, other, {"reason": "不符合申报条件"}, as_user)
    assert rejected.data["status"] == ApplicationStatus.REJECTED


# --- permission matrix -------------------------------------------------------------------------


@pytest.fixture
def sheet_expert(panel):
    """The expert drawn for the first sheet of the panel."""
    return panel[0].expert.user


EXPERT_ACTORS = [*ACTORS, "sheet_expert"]
# One column per actor above. The pool of experts is the province's alone; a score sheet is
# read by its own expert and by the province and its auditors, and acted on by its own
# expert only; local staff never learn who reviews their firms.
MATRIX = {
    "list experts": (401, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    "get expert": (401, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    "edit expert": (401, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    "list sheets": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "get sheet": (401, 404, 404, 200, 200, 404, 404, 404, 404, 200),
    "declare": (401, 404, 403, 403, 403, 403, 403, 403, 403, 200),
    "delete sheet": (401, 405, 403, 403, 403, 403, 403, 403, 403, 405),
}
SEES_SHEETS = {"auditor_user": 3, "province_user": 3, "sheet_expert": 1}


def send(client, operation, sheet):
    expert = reverse("certification-api:expert-detail", args=[sheet.expert.pk])
    return {
        "list experts": lambda: client.get(EXPERTS),
        "get expert": lambda: client.get(expert),
        "edit expert": lambda: client.patch(expert, {"title": "正高级工程师"}, format="json"),
        "list sheets": lambda: client.get(SHEETS),
        "get sheet": lambda: client.get(sheet_url(sheet)),
        "declare": lambda: client.post(
            sheet_url(sheet, "declare"), {"no_conflict": True}, format="json"
        ),
        "delete sheet": lambda: client.delete(sheet_url(sheet)),
    }[operation]()


def sheets_state():
    return sorted(ExpertAssignment.objects.values_list("id", "status")), sorted(
        Expert.objects.values_list("id", "title")
    )


@permission_matrix(EXPERT_ACTORS, MATRIX)
def test_permission_matrix(request, as_user, panel, operation, actor, expected):
    before = sheets_state()

    response = send(as_user(user_of(request, actor)), operation, panel[0])

    assert response.status_code == expected, response.json()
    if operation == "list sheets" and expected == 200:
        assert len(ids(response)) == SEES_SHEETS.get(actor, 0)
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert sheets_state() == before
