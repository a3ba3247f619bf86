"""Every edge of the APPLICATION_TRANSITIONS table, allowed and forbidden, for both filing levels.

Allowed: the owning role moves the application to the target, with one transition row and the
deadline of the stage it enters. Forbidden: a status the verb does not leave answers
InvalidTransition, a role that does not own the stage PermissionDenied, staff of another region
OutOfScope; nothing is written in any of these cases.
"""

import pytest

from accounts.choices import Role
from certification.choices import APPLICATION_TRANSITIONS, FilingLevel, Verb
from certification.choices import ApplicationStatus as S
from certification.models import Application, ApplicationTransition
from certification.services.workflow import REASON_REQUIRED, application_transition
from gansu_sme.exceptions import InvalidTransition, OutOfScope, PermissionDenied
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

COUNTY, CITY, PROVINCE = Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER

# (filing level, status, verb) → (role allowed, status reached). Everything else is forbidden.
ALLOWED = {}
for level, filer in ((FilingLevel.COUNTY, COUNTY), (FilingLevel.CITY, CITY)):
    ALLOWED.update({
        (level, S.DRAFT, Verb.SUBMIT): (filer, S.SUBMITTED),
        (level, S.DRAFT, Verb.WITHDRAW): (filer, S.WITHDRAWN),
        (level, S.SUBMITTED, Verb.RETURN): (filer, S.DRAFT),
        (level, S.SUBMITTED, Verb.WITHDRAW): (filer, S.WITHDRAWN),
        (level, S.COUNTY_REVIEWED, Verb.WITHDRAW): (filer, S.WITHDRAWN),
        (level, S.CITY_RECOMMENDED, Verb.ACCEPT): (PROVINCE, S.PROVINCE_ACCEPTED),
        (level, S.CITY_RECOMMENDED, Verb.WITHDRAW): (filer, S.WITHDRAWN),
        (level, S.PROVINCE_ACCEPTED, Verb.START_EXPERT_REVIEW): (
            PROVINCE, S.UNDER_EXPERT_REVIEW
        ),
        (level, S.PROVINCE_ACCEPTED, Verb.REJECT): (PROVINCE, S.REJECTED),
        (level, S.UNDER_EXPERT_REVIEW, Verb.APPROVE): (PROVINCE, S.APPROVED),
        (level, S.UNDER_EXPERT_REVIEW, Verb.REJECT): (PROVINCE, S.REJECTED),
        (level, S.APPROVED, Verb.PUBLISH): (PROVINCE, S.PUBLIC_NOTICE),
        (level, S.PUBLIC_NOTICE, Verb.CERTIFY): (PROVINCE, S.CERTIFIED),
        (level, S.PUBLIC_NOTICE, Verb.CONCLUDE_RECOMMENDATION): (PROVINCE, S.RECOMMENDED),
        (level, S.PUBLIC_NOTICE, Verb.UPHOLD_OBJECTION): (PROVINCE, S.REJECTED),
        (level, S.PUBLIC_NOTICE, Verb.REJECT): (PROVINCE, S.REJECTED),
    })
ALLOWED.update({
    # County-filed: the county reviews, the city recommends, a return goes one stage back.
    (FilingLevel.COUNTY, S.SUBMITTED, Verb.REVIEW): (COUNTY, S.COUNTY_REVIEWED),
    (FilingLevel.COUNTY, S.COUNTY_REVIEWED, Verb.RECOMMEND): (CITY, S.CITY_RECOMMENDED),
    (FilingLevel.COUNTY, S.COUNTY_REVIEWED, Verb.RETURN): (CITY, S.SUBMITTED),
    (FilingLevel.COUNTY, S.CITY_RECOMMENDED, Verb.RETURN): (PROVINCE, S.COUNTY_REVIEWED),
    (FilingLevel.COUNTY, S.PROVINCE_ACCEPTED, Verb.RETURN): (PROVINCE, S.COUNTY_REVIEWED),
    # City-filed: no county stage; the city recommends from SUBMITTED and gets returns there.
    (FilingLevel.CITY, S.SUBMITTED, Verb.RECOMMEND): (CITY, S.CITY_RECOMMENDED),
    (FilingLevel.CITY, S.CITY_RECOMMENDED, Verb.RETURN): (PROVINCE, S.SUBMITTED),
    (FilingLevel.CITY, S.PROVINCE_ACCEPTED, Verb.RETURN): (PROVINCE, S.SUBMITTED),
})

# The deadline field of the stage each status waits in.
DUE = {
    S.SUBMITTED: "county_review_due",
    S.COUNTY_REVIEWED: "city_recommendation_due",
    S.CITY_RECOMMENDED: "province_decision_due",
    S.PROVINCE_ACCEPTED: "province_decision_due",
    S.UNDER_EXPERT_REVIEW: "province_decision_due",
}

EDGES = [(level, status, verb) for level in FilingLevel for status in S for verb in Verb]
ALLOWED_CASES = [
    (level, status, verb, role)
    for (level, status, verb) in ALLOWED
    for role in (COUNTY, CITY, PROVINCE)
]
STATUS_FORBIDDEN = [edge for edge in EDGES if edge not in ALLOWED]


@pytest.fixture
def staff(county_user, city_user, province_user):
    return {COUNTY: county_user, CITY: city_user, PROVINCE: province_user}


def _reason(verb):
    return "材料不全，请补充" if verb in REASON_REQUIRED else ""


def _unchanged(application, status):
    assert Application.objects.get(pk=application.pk).status == status
    assert not ApplicationTransition.objects.filter(application=application).exists()


def test_the_table_names_an_edge_for_every_verb():
    assert {verb for (_level, _status, verb) in ALLOWED} == set(Verb)


@pytest.mark.parametrize(("level", "status", "verb", "role"), ALLOWED_CASES)
def test_a_status_the_verb_leaves_moves_only_for_its_owner(
    staff, enterprise, level, status, verb, role
):
    application = ApplicationFactory(enterprise=enterprise, status=status, filing_level=level)
    owner, target = ALLOWED[(level, status, verb)]

    if role != owner:
        with pytest.raises(PermissionDenied):
            application_transition(
                actor=staff[role], application=application, verb=verb, reason=_reason(verb)
            )
        _unchanged(application, status)
        return

    changed = application_transition(
        actor=staff[role], application=application, verb=verb, reason=_reason(verb)
    )

    assert changed.status == target
    application.refresh_from_db()
    assert application.status == target
    expected_due = getattr(application.campaign, DUE[target]) if target in DUE else None
    assert application.stage_due == expected_due
    row = ApplicationTransition.objects.get(application=application)
    assert (row.verb, row.from_status, row.to_status, row.actor) == (
        verb, status, target, staff[role]
    )
    assert row.reason == _reason(verb)


@pytest.mark.parametrize(("level", "status", "verb"), STATUS_FORBIDDEN)
def test_every_edge_outside_the_table_is_refused(staff, enterprise, level, status, verb):
    application = ApplicationFactory(enterprise=enterprise, status=status, filing_level=level)
    # The role most likely to be let through: the one that owns the application now.
    role = next(
        (owner for (lv, st, _v), (owner, _t) in ALLOWED.items() if lv == level and st == status),
        PROVINCE,
    )

    # A status the table lets the verb leave, but that no role may leave that way at this
    # filing level (a county-filed SUBMITTED cannot be recommended), is refused by role.
    refusal = (
        PermissionDenied if verb in APPLICATION_TRANSITIONS.get(status, {}) else InvalidTransition
    )

    with pytest.raises(refusal):
        application_transition(
            actor=staff[role], application=application, verb=verb, reason=_reason(verb)
        )

    _unchanged(application, status)


@pytest.mark.parametrize(
    ("level", "status", "verb", "outsider"),
    [
        (FilingLevel.COUNTY, S.DRAFT, Verb.SUBMIT, "other_county_user"),
        (FilingLevel.COUNTY, S.SUBMITTED, Verb.REVIEW, "other_county_user"),
        (FilingLevel.COUNTY, S.COUNTY_REVIEWED, Verb.RECOMMEND, "other_city_user"),
        (FilingLevel.CITY, S.SUBMITTED, Verb.RECOMMEND, "other_city_user"),
        (FilingLevel.COUNTY, S.CITY_RECOMMENDED, Verb.WITHDRAW, "other_county_user"),
    ],
)
def test_staff_of_another_region_do_not_find_the_application(
    request, enterprise, level, status, verb, outsider
):
    application = ApplicationFactory(enterprise=enterprise, status=status, filing_level=level)

    with pytest.raises(OutOfScope):
        application_transition(
            actor=request.getfixturevalue(outsider), application=application, verb=verb,
            reason=_reason(verb),
        )

    _unchanged(application, status)


@pytest.mark.parametrize("role", [Role.API_CLIENT, Role.EXPERT])
def test_read_only_and_expert_accounts_cannot_move_an_application(
    api_user, expert_user, enterprise, role
):
    actor = api_user if role == Role.API_CLIENT else expert_user
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)

    with pytest.raises((PermissionDenied, OutOfScope)):
        application_transition(actor=actor, application=application, verb=Verb.RECOMMEND)

    _unchanged(application, S.COUNTY_REVIEWED)
