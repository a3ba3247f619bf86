"""Application services: who files, the window, re-reviews, drafts, submission with its
pre-check and evidence, quotas, returns, withdrawals, idempotency and attribution."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone
from pghistory.models import Events

from accounts.choices import Role
from certification.choices import ApplicationStatus as S
from certification.choices import (
    AttachmentKind,
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    FilingLevel,
    Verb,
)
from certification.models import (
    Application,
    ApplicationTransition,
    CampaignQuota,
    Certificate,
    Evaluation,
)
from certification.services.applications import (
    application_accept,
    application_create,
    application_recommend,
    application_return,
    application_review,
    application_submit,
    application_update,
    application_withdraw,
)
from certification.services.attachments import attachment_add
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from tests.concurrency import run_together
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, open_campaign, upload
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]

OPINION = "申报材料真实完整，符合认定条件，同意推荐。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign():
    return open_campaign()


def sound_years(enterprise, actor, **last_year):
    """Verified reports of 2023–2025 for a sound firm; ``last_year`` changes 2025's figures."""
    VerifiedAnnualReportFactory(
        enterprise=enterprise, created_by=actor, year=2023, main_business_revenue=D("7200")
    )
    VerifiedAnnualReportFactory(
        enterprise=enterprise, created_by=actor, year=2024, main_business_revenue=D("8000"),
        rd_expense=D("500"),
    )
    VerifiedAnnualReportFactory(enterprise=enterprise, created_by=actor, year=2025, **last_year)


def filed(actor, campaign, enterprise, **fields):
    application = application_create(
        actor=actor, campaign=campaign, enterprise=enterprise, **fields
    )
    attachment_add(
        actor=actor, application=application, kind=AttachmentKind.PAPER_APPLICATION,
        upload=upload(),
    )
    return application


# --- filing ---------------------------------------------------------------------------------


def test_county_staff_file_a_draft_for_a_firm_of_their_county(county_user, campaign, enterprise):
    application = application_create(
        actor=county_user, campaign=campaign, enterprise=enterprise, summary="主营破碎设备"
    )

    assert application.status == S.DRAFT
    assert application.filing_level == FilingLevel.COUNTY
    assert application.created_by == county_user
    event = Events.objects.references(application).get()
    assert event.pgh_context["user"] == county_user.pk


def test_city_staff_file_directly_without_a_county_stage(city_user, campaign, enterprise):
    application = application_create(actor=city_user, campaign=campaign, enterprise=enterprise)

    assert application.filing_level == FilingLevel.CITY


def test_staff_cannot_file_for_a_firm_outside_their_region(
    other_county_user, other_city_user, campaign, enterprise
):
    for outsider in (other_county_user, other_city_user):
        with pytest.raises(OutOfScope):
            application_create(actor=outsider, campaign=campaign, enterprise=enterprise)


def test_the_province_and_read_only_accounts_do_not_file(
    province_user, api_user, campaign, enterprise
):
    for actor in (province_user, api_user):
        with pytest.raises(PermissionDenied):
            application_create(actor=actor, campaign=campaign, enterprise=enterprise)


@pytest.mark.parametrize("days", [-1, 1])
def test_filing_is_refused_outside_the_window(county_user, enterprise, days):
    today = timezone.localdate()
    if days < 0:
        campaign = open_campaign(
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today - datetime.timedelta(days=1),
        )
    else:
        campaign = open_campaign(opens_on=today + datetime.timedelta(days=1))

    with pytest.raises(DomainError) as refused:
        application_create(actor=county_user, campaign=campaign, enterprise=enterprise)

    assert "campaign" in refused.value.fields
    assert refused.value.code == "filing_closed"


def test_one_live_application_per_firm_and_campaign_and_withdrawn_ones_free_the_place(
    county_user, campaign, enterprise
):
    first = application_create(actor=county_user, campaign=campaign, enterprise=enterprise)
    with pytest.raises(DomainError) as refused:
        application_create(actor=county_user, campaign=campaign, enterprise=enterprise)
    assert "enterprise" in refused.value.fields

    application_withdraw(actor=county_user, application=first, reason="企业暂缓申报")
    again = application_create(actor=county_user, campaign=campaign, enterprise=enterprise)

    assert again.pk != first.pk


def test_manual_inputs_are_checked_against_the_rule_set(county_user, campaign, enterprise):
    with pytest.raises(DomainError) as refused:
        application_create(
            actor=county_user, campaign=campaign, enterprise=enterprise,
            manual_inputs={"I9": {"points": 99, "evidence": "评分表"}, "C2": {"met": True}},
        )

    assert set(refused.value.fields) == {"manual_inputs"}


def _certificate(enterprise, **fields):
    values = {
        "number": "甘专精特新2023001",
        "year": 2023,
        "serial": 1,
        "level": CertificateLevel.PROVINCIAL,
        "enterprise": enterprise,
        "ruleset_code": "miit-2022-zjtx",
        "issued_on": datetime.date(2023, 4, 21),
        "valid_until": timezone.localdate() + datetime.timedelta(days=60),
    }
    return Certificate.objects.create(**{**values, **fields})


def test_a_re_review_names_a_valid_certificate_of_the_same_firm(county_user, enterprise):
    campaign = open_campaign(kind=CampaignKind.RE_REVIEW)
    other = EnterpriseFactory()
    foreign = _certificate(other, number="甘专精特新2023002", serial=2)
    revoked = _certificate(
        enterprise, number="甘专精特新2023003", serial=3, status=CertificateStatus.REVOKED,
        revocation_reason="on_request", revoked_at=datetime.datetime.now(datetime.UTC),
    )
    for renews in (None, foreign, revoked):
        with pytest.raises(DomainError) as refused:
            application_create(
                actor=county_user, campaign=campaign, enterprise=enterprise, renews=renews
            )
        assert "renews" in refused.value.fields

    valid = _certificate(enterprise)
    application = application_create(
        actor=county_user, campaign=campaign, enterprise=enterprise, renews=valid
    )

    assert application.renews == valid


def test_only_a_re_review_renews_a_certificate(county_user, campaign, enterprise):
    with pytest.raises(DomainError) as refused:
        application_create(
            actor=county_user, campaign=campaign, enterprise=enterprise,
            renews=_certificate(enterprise),
        )

    assert "renews" in refused.value.fields


def test_a_draft_is_changed_by_its_filing_side_only(
    county_user, city_user, campaign, enterprise
):
    application = application_create(actor=county_user, campaign=campaign, enterprise=enterprise)

    changed = application_update(actor=county_user, application=application, summary="新摘要")
    assert changed.summary == "新摘要"

    with pytest.raises(PermissionDenied):
        application_update(actor=city_user, application=application, summary="市州改的")


def test_a_submitted_application_cannot_be_changed(county_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)

    with pytest.raises(DomainError) as refused:
        application_update(actor=county_user, application=application, summary="改")

    assert refused.value.code == "not_draft"


# --- submission -----------------------------------------------------------------------------


def test_submission_needs_the_firms_signed_application(county_user, campaign, enterprise):
    application = application_create(actor=county_user, campaign=campaign, enterprise=enterprise)

    with pytest.raises(DomainError) as refused:
        application_submit(actor=county_user, application=application)

    assert refused.value.code == "paper_application_missing"
    assert "attachments" in refused.value.fields
    assert not ApplicationTransition.objects.exists()


def test_a_failed_pre_check_refuses_submission_naming_the_failing_items(
    county_user, campaign, enterprise
):
    sound_years(enterprise, county_user, rd_expense=D("20"))
    application = filed(county_user, campaign, enterprise)

    with pytest.raises(DomainError) as refused:
        application_submit(actor=county_user, application=application)

    assert refused.value.code == "precheck_failed"
    assert "C2" in refused.value.message
    assert refused.value.fields == {"evaluation": [refused.value.message]}
    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert not Evaluation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_filings_of_one_firm_at_once_give_one_application_and_a_clear_refusal(
    reference_data,
):
    county_user = UserFactory(role=Role.COUNTY_STAFF, region=region("620102"))
    campaign = open_campaign()
    enterprise = EnterpriseFactory()

    outcomes = run_together(
        2, lambda _index: application_create(
            actor=county_user, campaign=campaign, enterprise=enterprise
        ),
    )

    assert Application.objects.filter(campaign=campaign, enterprise=enterprise).count() == 1
    [refused] = [o for o in outcomes if isinstance(o, Exception)]
    assert isinstance(refused, DomainError)
    assert "enterprise" in refused.fields


def test_an_incomplete_pre_check_is_stored_with_the_submission(
    county_user, campaign, enterprise
):
    sound_years(enterprise, county_user)
    application = filed(county_user, campaign, enterprise)

    submitted = application_submit(actor=county_user, application=application)

    assert submitted.status == S.SUBMITTED
    assert submitted.stage_due == campaign.county_review_due
    evaluation = Evaluation.objects.get()
    assert submitted.evaluation == evaluation
    assert evaluation.outcome == "incomplete"
    assert evaluation.figures_year == campaign.year - 1
    assert evaluation.evaluated_by == county_user


def test_a_double_submit_writes_one_transition_and_one_evaluation(
    county_user, campaign, enterprise
):
    sound_years(enterprise, county_user)
    application = filed(county_user, campaign, enterprise)

    application_submit(actor=county_user, application=application)
    again = application_submit(actor=county_user, application=application)

    assert again.status == S.SUBMITTED
    assert ApplicationTransition.objects.filter(verb=Verb.SUBMIT).count() == 1
    assert Evaluation.objects.count() == 1


def test_a_returned_draft_is_resubmitted_after_the_window_closed(
    county_user, campaign, enterprise
):
    sound_years(enterprise, county_user)
    application = filed(county_user, campaign, enterprise)
    application_submit(actor=county_user, application=application)
    application_return(actor=county_user, application=application, reason="补充材料")
    today = timezone.localdate()
    type(campaign).objects.filter(pk=campaign.pk).update(
        opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=1)
    )

    again = application_submit(actor=county_user, application=application)

    assert again.status == S.SUBMITTED


def test_the_full_way_to_the_province_is_recorded_with_its_actors(
    county_user, city_user, province_user, campaign, enterprise
):
    sound_years(enterprise, county_user)
    application = filed(county_user, campaign, enterprise)

    application_submit(actor=county_user, application=application)
    application_review(actor=county_user, application=application)
    application_recommend(actor=city_user, application=application, opinion=OPINION)
    accepted = application_accept(actor=province_user, application=application)

    assert accepted.status == S.PROVINCE_ACCEPTED
    assert accepted.stage_due == campaign.province_decision_due
    rows = list(ApplicationTransition.objects.values_list("verb", "actor__username"))
    assert rows == [
        ("submit", "chengguan"), ("review", "chengguan"), ("recommend", "lanzhou"),
        ("accept", "province"),
    ]


# --- quota, return, withdraw ----------------------------------------------------------------


def test_a_city_cannot_recommend_beyond_its_quota(city_user, campaign):
    CampaignQuota.objects.create(campaign=campaign, region=region("620100"), quota=1)
    first, second = (
        ApplicationFactory(campaign=campaign, status=S.COUNTY_REVIEWED) for _ in range(2)
    )
    other_city = ApplicationFactory(
        campaign=campaign, status=S.COUNTY_REVIEWED,
        enterprise=EnterpriseFactory(region=region("620502")),
    )

    application_recommend(actor=city_user, application=first, opinion=OPINION)
    with pytest.raises(DomainError) as refused:
        application_recommend(actor=city_user, application=second, opinion=OPINION)

    assert refused.value.code == "quota_used_up"
    second.refresh_from_db()
    assert second.status == S.COUNTY_REVIEWED
    # Tianshui has no quota: its recommendation is not counted against Lanzhou's.
    assert other_city.status == S.COUNTY_REVIEWED


def test_a_return_needs_a_reason_and_a_second_click_writes_nothing(
    city_user, enterprise
):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    with pytest.raises(DomainError) as refused:
        application_return(actor=city_user, application=application, reason=" ")
    assert "reason" in refused.value.fields

    application_return(
        actor=city_user, application=application, reason="财务数据需核实",
        expected_status=S.COUNTY_REVIEWED,
    )
    # The second click lands where the first one did: nothing more is written.
    again = application_return(
        actor=city_user, application=application, reason="财务数据需核实",
        expected_status=S.COUNTY_REVIEWED,
    )

    assert again.status == S.SUBMITTED
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert ApplicationTransition.objects.get().reason == "财务数据需核实"


def test_a_stale_expected_status_is_refused(county_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.SUBMITTED)

    with pytest.raises(InvalidTransition):
        application_review(
            actor=county_user, application=application, expected_status=S.DRAFT
        )

    assert not ApplicationTransition.objects.exists()


def test_the_filing_side_withdraws_with_a_reason(county_user, city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.CITY_RECOMMENDED)
    with pytest.raises(PermissionDenied):
        application_withdraw(actor=city_user, application=application, reason="市州撤回")

    withdrawn = application_withdraw(
        actor=county_user, application=application, reason="企业主动撤回"
    )

    assert withdrawn.status == S.WITHDRAWN
    assert withdrawn.stage_due is None
    event = Events.objects.references(withdrawn).filter(pgh_obj_model="certification.Application")
    assert event.last().pgh_context["user"] == county_user.pk
