"""The financing services: every edge of both workflows, refusals by their stable codes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from financing import services
from financing.choices import (
    NEED_TRANSITIONS,
    OUTCOME_TRANSITIONS,
    NeedStatus,
    NeedVerb,
    OutcomeStatus,
    OutcomeVerb,
)
from financing.models import CreditCultivation, FinancingNeed, MatchOutcome
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from tests.factories.financing import need

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def event(province_user, bank):
    return services.event_create(
        actor=province_user, title="银企对接会", held_on=TODAY(), institutions=[bank]
    )


@pytest.fixture
def outcome(province_user, event, shared_need):
    return services.event_put_needs(actor=province_user, event=event, needs=[shared_need])[0]


def grant(actor, outcome, institution, **overrides):
    values = {"institution": institution, "granted_amount": Decimal("500"),
              "rate": Decimal("3.45"), "granted_on": TODAY()}
    values.update(overrides)
    return services.outcome_grant(actor=actor, outcome=outcome, **values)


# --- filing --------------------------------------------------------------------------------


def test_county_staff_file_a_need_with_its_record(county_user, enterprise):
    row = need(county_user, enterprise)
    assert row.status == NeedStatus.FILED
    record = row.transitions.get()
    assert (record.verb, record.to_status, record.actor) == (NeedVerb.FILE, "filed", county_user)


def test_city_staff_file_for_their_counties(city_user, enterprise):
    assert need(city_user, enterprise).filed_by == city_user


@pytest.mark.parametrize("actor", ["province_user", "auditor_user", "api_user", "bank_user"])
def test_other_roles_may_not_file(request, actor, enterprise):
    with pytest.raises(PermissionDenied):
        need(request.getfixturevalue(actor), enterprise)


def test_county_staff_cannot_file_for_another_county(other_county_user, enterprise):
    with pytest.raises(OutOfScope):
        need(other_county_user, enterprise)


@pytest.mark.parametrize(("fields", "code"), [
    ({"amount": Decimal(0)}, "amount_not_positive"),
    ({"term_months": 0}, "term_out_of_range"),
    ({"term_months": 361}, "term_out_of_range"),
    ({"purpose": "  "}, "purpose_required"),
    ({"kind": "gift"}, "invalid_kind"),
])
def test_filing_refuses_bad_figures_by_code(county_user, enterprise, fields, code):
    with pytest.raises(DomainError) as refused:
        need(county_user, enterprise, **fields)
    assert refused.value.code == code
    assert not FinancingNeed.objects.exists()


def test_a_deactivated_enterprise_gets_no_need(county_user, enterprise):
    enterprise.is_active = False
    enterprise.save()
    with pytest.raises(DomainError) as refused:
        need(county_user, enterprise)
    assert refused.value.code == "enterprise_inactive"


# --- the need's workflow -------------------------------------------------------------------


def test_every_need_edge_is_covered_by_these_tests():
    edges = {(s, v) for s, moves in NEED_TRANSITIONS.items() for v in moves}
    assert edges == {
        ("filed", "match"), ("filed", "withdraw"), ("matching", "meet"),
        ("matching", "close"), ("matching", "withdraw"),
    }


def test_putting_a_need_to_an_event_moves_it_to_matching(outcome, shared_need):
    shared_need.refresh_from_db()
    assert shared_need.status == NeedStatus.MATCHING
    assert outcome.status == OutcomeStatus.PENDING
    assert [t.verb for t in shared_need.transitions.all()] == ["file", "match"]
    assert outcome.transitions.get().verb == OutcomeVerb.PUT


def test_filing_side_withdraws_a_filed_need_with_a_reason(county_user, shared_need):
    row = services.need_withdraw(actor=county_user, need=shared_need, reason="自筹解决")
    assert row.status == NeedStatus.WITHDRAWN
    assert row.transitions.last().reason == "自筹解决"


def test_withdrawal_needs_a_reason(county_user, shared_need):
    with pytest.raises(DomainError) as refused:
        services.need_withdraw(actor=county_user, need=shared_need, reason=" ")
    assert refused.value.code == "reason_required"


def test_a_need_in_matching_can_be_withdrawn(county_user, outcome, shared_need):
    row = services.need_withdraw(actor=county_user, need=shared_need, reason="不再需要")
    assert row.status == NeedStatus.WITHDRAWN


def test_province_closes_a_need_in_matching_unmet(province_user, outcome, shared_need):
    row = services.need_close(actor=province_user, need=shared_need, reason="均未获批")
    assert row.status == NeedStatus.UNMET


def test_county_staff_may_not_close_a_need(county_user, outcome, shared_need):
    with pytest.raises(PermissionDenied):
        services.need_close(actor=county_user, need=shared_need, reason="x")


def test_a_filed_need_cannot_be_closed(province_user, shared_need):
    with pytest.raises(InvalidTransition) as refused:
        services.need_close(actor=province_user, need=shared_need, reason="x")
    assert refused.value.code == "invalid_transition"


def test_a_withdrawn_need_cannot_be_put_to_an_event(province_user, county_user, event,
                                                    shared_need):
    services.need_withdraw(actor=county_user, need=shared_need, reason="不再需要")
    with pytest.raises(DomainError) as refused:
        services.event_put_needs(actor=province_user, event=event, needs=[shared_need])
    assert refused.value.code == "need_closed"


def test_a_need_is_put_to_an_event_once(province_user, event, outcome, shared_need):
    with pytest.raises(DomainError) as refused:
        services.event_put_needs(actor=province_user, event=event, needs=[shared_need])
    assert refused.value.code == "need_already_in_event"


# --- outcomes ------------------------------------------------------------------------------


def test_every_outcome_edge_is_covered_by_these_tests():
    edges = {(s, v) for s, moves in OUTCOME_TRANSITIONS.items() for v in moves}
    assert edges == {
        ("pending", "contact"), ("pending", "refuse"), ("contacted", "review"),
        ("contacted", "grant"), ("contacted", "refuse"), ("in_review", "grant"),
        ("in_review", "refuse"),
    }


def test_contact_review_grant_meets_the_need(province_user, outcome, bank, shared_need):
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    services.outcome_review(actor=province_user, outcome=outcome)
    row = grant(province_user, outcome, bank)
    assert (row.status, row.granted_amount, row.rate) == ("granted", Decimal(500),
                                                          Decimal("3.45"))
    shared_need.refresh_from_db()
    assert shared_need.status == NeedStatus.MET
    assert [t.verb for t in row.transitions.all()] == ["put", "contact", "review", "grant"]
    assert all(t.actor == province_user for t in row.transitions.all())


def test_a_contacted_need_can_be_granted_without_review(province_user, outcome, bank):
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    assert grant(province_user, outcome, bank).status == OutcomeStatus.GRANTED


@pytest.mark.parametrize("first", [None, "contact", "review"])
def test_refusal_from_every_open_outcome_keeps_its_reason(province_user, outcome, bank, first):
    if first:
        services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    if first == "review":
        services.outcome_review(actor=province_user, outcome=outcome)
    row = services.outcome_refuse(actor=province_user, outcome=outcome, reason="抵押不足")
    assert (row.status, row.refusal_reason) == ("refused", "抵押不足")


def test_refusal_needs_a_reason(province_user, outcome):
    with pytest.raises(DomainError) as refused:
        services.outcome_refuse(actor=province_user, outcome=outcome, reason="")
    assert refused.value.code == "reason_required"


def test_a_pending_outcome_cannot_be_granted(province_user, outcome, bank):
    with pytest.raises(InvalidTransition):
        grant(province_user, outcome, bank)


def test_a_granted_outcome_is_final(province_user, outcome, bank):
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    grant(province_user, outcome, bank)
    with pytest.raises(InvalidTransition):
        services.outcome_refuse(actor=province_user, outcome=outcome, reason="x")


@pytest.mark.parametrize(("overrides", "code"), [
    ({"rate": Decimal(0)}, "rate_out_of_range"),
    ({"rate": Decimal(40)}, "rate_out_of_range"),
    ({"rate": None}, "rate_out_of_range"),
    ({"granted_amount": Decimal(0)}, "amount_not_positive"),
    ({"granted_on": None}, "date_in_future"),
    ({"granted_on": timezone.localdate() + datetime.timedelta(days=3)}, "date_in_future"),
])
def test_a_grant_refuses_bad_terms_and_writes_nothing(province_user, outcome, bank,
                                                      overrides, code):
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    with pytest.raises(DomainError) as refused:
        grant(province_user, outcome, bank, **overrides)
    assert refused.value.code == code
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONTACTED


def test_only_invited_institutions_record_contact(province_user, outcome, local_bank_user):
    other = local_bank_user.financial_institutions.get()
    with pytest.raises(DomainError) as refused:
        services.outcome_contact(actor=province_user, outcome=outcome, institution=other)
    assert refused.value.code == "institution_not_invited"


@pytest.mark.parametrize("actor", ["county_user", "city_user", "auditor_user", "bank_user"])
def test_only_the_province_records_outcomes(request, actor, outcome, bank):
    user = request.getfixturevalue(actor)
    with pytest.raises((PermissionDenied, OutOfScope)):
        services.outcome_contact(actor=user, outcome=outcome, institution=bank)
    assert MatchOutcome.objects.get().status == OutcomeStatus.PENDING


def test_a_repeated_contact_by_the_same_officer_writes_nothing(province_user, outcome, bank):
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    assert outcome.transitions.count() == 2


def test_only_the_province_organises_events(city_user, bank):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=city_user, title="x", held_on=TODAY(), institutions=[bank])


# --- credit cultivation --------------------------------------------------------------------


def test_province_admits_a_firm_once_and_rates_it_by_year(province_user, enterprise):
    services.credit_admit(actor=province_user, enterprise=enterprise, admitted_on=TODAY())
    with pytest.raises(DomainError) as refused:
        services.credit_admit(actor=province_user, enterprise=enterprise, admitted_on=TODAY())
    assert refused.value.code == "already_cultivated"
    rating = services.credit_rating_record(
        actor=province_user, enterprise=enterprise, year=TODAY().year, stars=4,
        rating_body="信用评价中心",
    )
    assert rating.get_stars_display() == "★★★★"
    with pytest.raises(DomainError) as refused:
        services.credit_rating_record(actor=province_user, enterprise=enterprise,
                                      year=TODAY().year, stars=5, rating_body="信用评价中心")
    assert refused.value.code == "rating_exists"


def test_county_staff_do_not_keep_the_credit_list(county_user, enterprise):
    with pytest.raises(PermissionDenied):
        services.credit_admit(actor=county_user, enterprise=enterprise, admitted_on=TODAY())
    assert not CreditCultivation.objects.exists()


def test_the_plan_counts_firms_in_credit_cultivation(province_user, enterprise):
    from registry.models import PlanTarget
    from registry.selectors import plans

    target = PlanTarget.objects.get(metric="credit_cultivated")
    assert target.value == 300
    services.credit_admit(actor=province_user, enterprise=enterprise,
                          admitted_on=datetime.date(2019, 5, 1))
    figure = plans.plan_figure("credit_cultivated")
    assert figure(target=target, within="620000", day=datetime.date(2020, 12, 31),
                  year=2020) == 1
    assert figure(target=target, within="620000", day=datetime.date(2019, 1, 1), year=2019) == 0
