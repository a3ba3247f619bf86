"""Browser pages of the expert panel: the pool, the scoring page, the draw and decision pages."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.choices import ApplicationStatus, AssignmentStatus
from certification.models import Expert
from certification.services.experts import (
    assignment_declare,
    assignment_score_save,
    assignment_submit,
    experts_draw,
)
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertFactory, stored_evaluation
from tests.factories.registry import region

MANUAL = ("I4", "I5", "I6", "I9", "I10", "I13")


def url(name, *args):
    return reverse(f"certification:{name}", args=args)


def score_post(points="3", evidence="见附件2", **extra):
    data = {}
    for code in MANUAL:
        data[f"{code}.points"] = points
        data[f"{code}.evidence"] = evidence
    data.update(extra)
    return data


@pytest.fixture
def application(enterprise):
    application = ApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED
    )
    stored_evaluation(application, {"I1": "5", "I7": "8"})
    return application


@pytest.fixture
def panel(province_user, application):
    """A drawn panel of three; returns the sheets, oldest first."""
    for _ in range(4):
        ExpertFactory()
    draw = experts_draw(actor=province_user, application=application, seed="s")
    return list(draw.assignments.order_by("id"))


def logged_in(client, user):
    client.force_login(user)
    return client


def sheet_ids(response):
    return [int(pk) for pk in re.findall(r'data-sheet="(\d+)"', response.text)]


def finish(sheet, points="3"):
    user = sheet.expert.user
    assignment_declare(actor=user, assignment=sheet, no_conflict=True)
    assignment_score_save(
        actor=user, assignment=sheet,
        scores={code: {"points": points, "evidence": "依据"} for code in MANUAL},
    )
    return assignment_submit(actor=user, assignment=sheet)


# --- the pool ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["expert-list", "expert-create"])
@pytest.mark.parametrize(
    ("actor", "status"),
    [("province_user", 200), ("city_user", 403), ("county_user", 403), ("expert_user", 403)],
)
def test_only_the_province_reaches_the_expert_pool(db, client, request, name, actor, status):
    response = logged_in(client, request.getfixturevalue(actor)).get(url(name))

    assert response.status_code == status


def test_the_province_adds_an_expert_through_the_form(client, province_user):
    response = logged_in(client, province_user).post(url("expert-create"), {
        "username": "zhaomin", "password": "Expert-password-2026", "name": "赵敏",
        "title": "教授", "employer_name": "兰州大学", "employer_uscc": "",
        "region": region("620100").pk, "industries": [],
    })

    assert response.status_code == 302
    expert = Expert.objects.get(user__username="zhaomin")
    assert expert.name == "赵敏"
    listing = client.get(url("expert-list"))
    assert "赵敏" in listing.text


def test_a_taken_username_shows_on_the_form(client, province_user, expert_user):
    response = logged_in(client, province_user).post(url("expert-create"), {
        "username": expert_user.username, "name": "赵敏", "employer_name": "兰州大学",
        "region": region("620100").pk, "password": "Expert-password-2026",
    })

    assert response.status_code == 400
    assert not Expert.objects.filter(name="赵敏").exists()


def test_the_province_takes_an_expert_out_of_the_pool(client, province_user):
    expert = ExpertFactory()

    response = logged_in(client, province_user).post(url("expert-edit", expert.pk), {
        "name": expert.name, "employer_name": expert.employer_name,
        "region": expert.region_id, "industries": [],
    })

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.is_active is False


def test_the_expert_list_costs_the_same_queries_for_more_rows(
    client, province_user, django_assert_max_num_queries
):
    logged_in(client, province_user)
    for _ in range(3):
        ExpertFactory()
    client.get(url("expert-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("expert-list"))
    for _ in range(10):
        ExpertFactory()
    with django_assert_max_num_queries(len(few)):
        response = client.get(url("expert-list"))
    assert response.text.count("data-expert=") == 13


# --- the expert's pages -----------------------------------------------------------------------


def test_an_expert_lists_only_their_sheets(client, panel):
    mine = panel[0]

    response = logged_in(client, mine.expert.user).get(url("assignment-list"))

    assert response.status_code == 200
    assert sheet_ids(response) == [mine.pk]


@pytest.mark.parametrize("actor", ["county_user", "city_user"])
def test_county_and_city_staff_cannot_open_score_sheets(client, request, panel, actor):
    logged_in(client, request.getfixturevalue(actor))

    assert client.get(url("assignment-list")).status_code == 403
    assert client.get(url("assignment-detail", panel[0].pk)).status_code == 403


def test_another_experts_sheet_is_not_found(client, panel):
    logged_in(client, panel[1].expert.user)

    for name in ("assignment-detail", "assignment-submit"):
        assert client.get(url(name, panel[0].pk)).status_code == 404
    response = client.post(url("assignment-declare", panel[0].pk), {"conflict": "none"})
    assert response.status_code == 404


def test_the_file_stays_closed_until_the_declaration(client, panel):
    sheet = panel[0]
    logged_in(client, sheet.expert.user)

    before = client.get(url("assignment-detail", sheet.pk))
    assert 'id="declaration"' in before.text
    assert 'id="score-sheet"' not in before.text
    assert client.post(url("assignment-score", sheet.pk), score_post()).status_code == 403

    response = client.post(
        url("assignment-declare", sheet.pk), {"conflict": "none", "declaration": ""}
    )
    assert response.status_code == 302

    after = client.get(url("assignment-detail", sheet.pk))
    assert 'id="score-sheet"' in after.text
    assert 'data-item="I1"' in after.text
    assert 'id="automatic-points">13.0<' in after.text
    assert 'name="I9.points"' in after.text
    assert "（0–15）" in after.text


def test_recusing_without_a_reason_is_shown_on_the_form(client, panel):
    sheet = panel[0]

    response = logged_in(client, sheet.expert.user).post(
        url("assignment-declare", sheet.pk), {"conflict": "conflict", "declaration": ""}
    )

    assert response.status_code == 400
    sheet.refresh_from_db()
    assert sheet.status == AssignmentStatus.ASSIGNED


def test_the_expert_saves_then_confirms_and_submits(client, panel):
    sheet = panel[0]
    logged_in(client, sheet.expert.user)
    client.post(url("assignment-declare", sheet.pk), {"conflict": "none"})

    saved = client.post(url("assignment-score", sheet.pk), score_post())
    assert saved.status_code == 302
    to_confirm = client.post(url("assignment-score", sheet.pk), score_post(submit="1"))
    assert to_confirm.url == url("assignment-submit", sheet.pk)

    confirm = client.get(to_confirm.url)
    # 13 automatic points + 6 items × 3.
    assert 'id="sheet-total">31.0<' in confirm.text
    sheet.refresh_from_db()
    assert sheet.status == AssignmentStatus.DECLARED

    submitted = client.post(url("assignment-submit", sheet.pk))
    assert submitted.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (AssignmentStatus.SUBMITTED, Decimal("31.0"))
    assert client.post(url("assignment-score", sheet.pk), score_post()).status_code == 400


def test_points_above_the_maximum_are_refused_on_the_form(client, panel):
    sheet = panel[0]
    logged_in(client, sheet.expert.user)
    client.post(url("assignment-declare", sheet.pk), {"conflict": "none"})

    response = client.post(url("assignment-score", sheet.pk), score_post(points="9"))

    assert response.status_code == 400
    sheet.refresh_from_db()
    assert sheet.scores == {}


def test_points_without_evidence_are_refused_on_the_evidence_fields(client, panel):
    sheet = panel[0]
    logged_in(client, sheet.expert.user)
    client.post(url("assignment-declare", sheet.pk), {"conflict": "none"})

    response = client.post(url("assignment-score", sheet.pk), score_post(evidence=""))

    assert response.status_code == 400
    assert response.context["score_form"].errors[f"{MANUAL[0]}.evidence"]


def test_other_scores_stay_hidden_until_every_sheet_is_in(client, province_user, panel):
    first = finish(panel[0], points="4")
    logged_in(client, first.expert.user)

    waiting = client.get(url("assignment-detail", first.pk))
    assert 'id="panel"' not in waiting.text
    decide = logged_in(client, province_user).get(url("application-decide", first.application_id))
    assert 'id="panel-waiting"' in decide.text
    assert "37.0" not in decide.text

    finish(panel[1], points="2")
    finish(panel[2], points="3")
    logged_in(client, first.expert.user)
    done = client.get(url("assignment-detail", first.pk))
    assert 'id="panel"' in done.text
    decide = logged_in(client, province_user).get(url("application-decide", first.application_id))
    assert 'id="panel-score">31.0<' in decide.text


# --- the province's draw and decision pages ---------------------------------------------------


@pytest.mark.parametrize("name", ["application-draw", "application-decide"])
@pytest.mark.parametrize(
    ("actor", "status"), [("city_user", 403), ("county_user", 403), ("expert_user", 403)]
)
def test_only_the_province_reaches_the_draw_and_decision_pages(
    client, request, application, name, actor, status
):
    response = logged_in(client, request.getfixturevalue(actor)).get(url(name, application.pk))

    assert response.status_code == status


def test_an_application_of_nobodys_region_is_not_found(client, province_user):
    response = logged_in(client, province_user).get(url("application-draw", 999999))

    assert response.status_code == 404


def test_the_draw_page_draws_and_shows_the_record(client, province_user, application):
    ExpertFactory(employer_uscc=application.enterprise.uscc, name="本企业专家")
    for _ in range(3):
        ExpertFactory()
    logged_in(client, province_user)

    response = client.post(url("application-draw", application.pk), {"count": "", "seed": "abc"})

    assert response.status_code == 302
    page = client.get(url("application-draw", application.pk))
    assert '<dd class="mono" data-seed>abc</dd>' in page.text
    assert "<dd data-candidates>3</dd>" in page.text
    assert "本企业专家" in page.text
    assert page.text.count("data-drawn=") == 3
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_EXPERT_REVIEW


def test_too_few_experts_show_the_refusal_on_the_draw_page(client, province_user, application):
    response = logged_in(client, province_user).post(
        url("application-draw", application.pk), {"count": "3"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["count"]


def test_the_province_approves_from_the_decision_page(client, province_user, panel):
    application = panel[0].application
    stored_evaluation(
        application, {"I1": "5", "I2": "10", "I7": "10", "I8": "5", "I11": "10", "I12": "5"}
    )
    for sheet in panel:
        finish(sheet, points="5")
    logged_in(client, province_user)

    refused = client.post(
        url("application-approve", application.pk), {"approve-score": "70", "approve-reason": ""}
    )
    assert refused.status_code == 400
    assert refused.context["approve_form"].errors["reason"]

    response = client.post(
        url("application-approve", application.pk),
        {"approve-score": "", "approve-reason": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    # 45 automatic points + 6 items × 5 on every sheet.
    assert application.decision_score == Decimal("75.0")


def test_the_province_rejects_from_the_decision_page(client, province_user, application):
    response = logged_in(client, province_user).post(
        url("application-reject", application.pk), {"reject-reason": "不符合申报条件"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_the_actions_partial_links_the_province_only(province_user, city_user, application):
    template = Template('{% include "certification/decisions/partials/actions.html" %}')

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"application": application, "request": request}))

    rendered = render(province_user)
    assert url("application-draw", application.pk) in rendered
    assert url("application-decide", application.pk) in rendered
    assert render(city_user).strip() == ""
    application.status = ApplicationStatus.APPROVED
    assert render(province_user).strip() == ""


def test_the_menu_links_experts_to_their_sheets_and_the_province_to_the_pool(
    client, expert_user, province_user
):
    page = logged_in(client, expert_user).get(url("assignment-list"))
    assert url("assignment-list") in page.text
    assert url("expert-list") not in page.text

    page = logged_in(client, province_user).get(url("expert-list"))
    assert url("expert-list") in page.text


def test_the_sheet_list_page_costs_the_same_queries_for_more_rows(
    client, province_user, django_assert_max_num_queries
):
    for _ in range(9):
        ExpertFactory()
    logged_in(client, province_user)
    experts_draw(
        actor=province_user,
        application=ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED),
    )
    client.get(url("assignment-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("assignment-list"))
    for _ in range(2):
        experts_draw(
            actor=province_user,
            application=ApplicationFactory(status=ApplicationStatus.PROVINCE_ACCEPTED),
        )

    with django_assert_max_num_queries(len(few)):
        response = client.get(url("assignment-list"))

    assert len(sheet_ids(response)) == 9


@pytest.mark.parametrize("model", ["expert", "expertrelationship"])
def test_the_admin_lists_experts_and_relationships(admin_client, model):
    ExpertFactory()

    response = admin_client.get(reverse(f"admin:certification_{model}_changelist"))

    assert response.status_code == 200
