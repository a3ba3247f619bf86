"""Campaigns: province only, matching rule set, deadlines in working days, quotas."""

import datetime

import pytest

from certification.choices import ApplicationStatus as S
from certification.choices import CampaignKind
from certification.models import RuleSet
from certification.services.campaigns import campaign_create, campaign_update
from gansu_sme.exceptions import DomainError, PermissionDenied
from tests.factories.applications import ApplicationFactory
from tests.factories.registry import region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]


def fields(**overrides):
    values = {
        "year": 2026,
        "kind": CampaignKind.PROVINCIAL,
        "title": "2026年省级专精特新中小企业认定",
        "ruleset": RuleSet.objects.get(code="miit-2022-zjtx"),
        "opens_on": datetime.date(2026, 9, 1),
        # The last working day before the National Day holiday (1–7 Oct 2026, Oct 10 worked).
        "closes_on": datetime.date(2026, 9, 30),
        "county_review_days": 3,
        "city_recommendation_days": 5,
        "province_decision_days": 10,
    }
    return {**values, **overrides}


def test_the_province_opens_a_campaign_with_deadlines_in_working_days(province_user):
    campaign = campaign_create(actor=province_user, **fields())

    # 8, 9 Oct and the adjusted working Saturday 10 Oct.
    assert campaign.county_review_due == datetime.date(2026, 10, 10)
    assert campaign.city_recommendation_due == datetime.date(2026, 10, 16)
    assert campaign.province_decision_due == datetime.date(2026, 10, 30)
    assert campaign.created_by == province_user


@pytest.mark.parametrize("actor", ["county_user", "city_user", "api_user"])
def test_only_provincial_reviewers_open_campaigns(request, actor):
    with pytest.raises(PermissionDenied):
        campaign_create(actor=request.getfixturevalue(actor), **fields())


def test_the_rule_set_must_decide_what_the_campaign_recognises(province_user):
    little_giant = RuleSet.objects.get(kind="little_giant")

    with pytest.raises(DomainError) as refused:
        campaign_create(actor=province_user, **fields(ruleset=little_giant))

    assert "ruleset" in refused.value.fields
    campaign = campaign_create(
        actor=province_user, **fields(kind=CampaignKind.LITTLE_GIANT, ruleset=little_giant)
    )
    assert campaign.kind == CampaignKind.LITTLE_GIANT


def test_a_window_that_closes_before_it_opens_is_refused(province_user):
    with pytest.raises(DomainError) as refused:
        campaign_create(actor=province_user, **fields(closes_on=datetime.date(2026, 8, 1)))

    assert "closes_on" in refused.value.fields


def test_quotas_are_set_per_prefecture_unit(province_user):
    lanzhou, xinqu = region("620100"), region("620200")
    campaign = campaign_create(
        actor=province_user, quotas={lanzhou: 12, xinqu: None}, **fields()
    )
    assert {q.region: q.quota for q in campaign.quotas.all()} == {lanzhou: 12}

    with pytest.raises(DomainError) as refused:
        campaign_create(actor=province_user, quotas={region("620102"): 3}, **fields())
    assert "quotas" in refused.value.fields


def test_changing_the_window_moves_the_deadlines_of_waiting_applications(province_user):
    campaign = campaign_create(actor=province_user, **fields())
    waiting = ApplicationFactory(
        campaign=campaign, status=S.SUBMITTED, stage_due=campaign.county_review_due
    )

    changed = campaign_update(
        actor=province_user, campaign=campaign, closes_on=datetime.date(2026, 10, 30)
    )

    waiting.refresh_from_db()
    assert changed.county_review_due == datetime.date(2026, 11, 4)
    assert waiting.stage_due == changed.county_review_due


def test_kind_and_rule_set_are_fixed_once_applications_exist(province_user):
    campaign = campaign_create(actor=province_user, **fields())
    ApplicationFactory(campaign=campaign)

    with pytest.raises(DomainError) as refused:
        campaign_update(actor=province_user, campaign=campaign, kind=CampaignKind.RE_REVIEW)

    assert "kind" in refused.value.fields
