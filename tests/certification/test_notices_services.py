"""Public notices through their services: publishing, the working-day period, objections,
closing."""

import datetime
import logging

import pytest
from django.utils import timezone, translation

from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    NoticeStatus,
    ObjectionStatus,
    RecommendationOutcome,
    RevocationReason,
    Verb,
)
from certification.models import Certificate, NationalRecommendation
from certification.services import notices as notices_module
from certification.services.certificates import certificate_revoke
from certification.services.notices import (
    notice_close,
    notice_end,
    notice_is_open,
    notice_publish,
    notices_close_due,
    objection_decide,
    objection_file,
)
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.choices import PoolEntryStatus
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import CertificateFactory, ObjectionFactory
from tests.factories.pool import PoolEntryFactory

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

S = ApplicationStatus


@pytest.fixture
def today(monkeypatch):
    """Pin the local date the services read; returns a setter."""

    def pin(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return pin


@pytest.fixture
def campaign(db):
    return CampaignFactory()


def approved(campaign, count=2, **kwargs):
    return [
        ApplicationFactory(campaign=campaign, status=S.APPROVED, **kwargs) for _ in range(count)
    ]


def publish(actor, campaign, applications, **kwargs):
    kwargs.setdefault("title", "2026年省级专精特新中小企业拟认定名单公示")
    kwargs.setdefault("contact_person", "李明")
    kwargs.setdefault("telephone", "0931-8468123")
    return notice_publish(actor=actor, campaign=campaign, applications=applications, **kwargs)


# --- the period -------------------------------------------------------------------------------


@pytest.mark.django_db  # the holiday notice entered in the admin is read too
def test_a_notice_starting_before_national_day_counts_only_working_days():
    # Day 1 is Wed 30 Sep; 1–7 Oct are the holiday; Sat 10 Oct is worked in exchange.
    assert notice_end(datetime.date(2026, 9, 30), 5) == datetime.date(2026, 10, 12)


@pytest.mark.django_db  # the holiday notice entered in the admin is read too
def test_a_notice_starting_on_a_holiday_begins_counting_on_the_next_working_day():
    assert notice_end(datetime.date(2026, 10, 3), 1) == datetime.date(2026, 10, 8)


@pytest.mark.django_db  # the holiday notice entered in the admin is read too
def test_a_one_day_notice_on_a_working_day_ends_the_same_day():
    assert notice_end(datetime.date(2026, 10, 12), 1) == datetime.date(2026, 10, 12)


def test_publishing_across_national_day_sets_the_end_after_the_holiday(
    today, province_user, campaign
):
    today(datetime.date(2026, 9, 30))
    notice = publish(province_user, campaign, approved(campaign), days=5)

    assert notice.starts_on == datetime.date(2026, 9, 30)
    assert notice.ends_on == datetime.date(2026, 10, 12)
    assert notice_is_open(notice, datetime.date(2026, 10, 12))
    assert not notice_is_open(notice, datetime.date(2026, 10, 13))


# --- publishing -------------------------------------------------------------------------------


def test_publishing_moves_approved_applications_into_notice(today, province_user, campaign):
    today(datetime.date(2026, 10, 12))
    applications = approved(campaign)

    notice = publish(province_user, campaign, applications)

    assert notice.ends_on == datetime.date(2026, 10, 16)  # campaign.notice_days = 5
    assert notice.status == NoticeStatus.OPEN
    assert notice.published_by == province_user
    for application in applications:
        application.refresh_from_db()
        assert application.status == S.PUBLIC_NOTICE
        assert application.notice == notice
        last = application.transitions.last()
        assert (last.verb, last.actor) == (Verb.PUBLISH, province_user)


def test_only_provincial_reviewers_publish(city_user, campaign):
    with pytest.raises(PermissionDenied):
        publish(city_user, campaign, approved(campaign))


def test_an_application_not_approved_is_refused_and_nothing_is_published(
    province_user, campaign
):
    good = approved(campaign, 1)
    pending = ApplicationFactory(campaign=campaign, status=S.UNDER_EXPERT_REVIEW)

    with pytest.raises(DomainError) as refused:
        publish(province_user, campaign, good + [pending])

    assert "applications" in refused.value.fields
    good[0].refresh_from_db()
    assert good[0].status == S.APPROVED
    assert not campaign.notices.exists()


def test_an_application_of_another_campaign_is_refused(province_user, campaign):
    other = approved(CampaignFactory(), 1)

    with pytest.raises(DomainError) as refused:
        publish(province_user, campaign, other)

    assert "applications" in refused.value.fields


def test_publishing_needs_applications_and_a_title(province_user, campaign):
    with pytest.raises(DomainError) as no_rows:
        publish(province_user, campaign, [])
    with pytest.raises(DomainError) as no_title:
        publish(province_user, campaign, approved(campaign, 1), title="  ")

    assert "applications" in no_rows.value.fields
    assert "title" in no_title.value.fields


def test_a_notice_cannot_start_in_the_past(today, province_user, campaign):
    today(datetime.date(2026, 10, 12))
    with pytest.raises(DomainError) as refused:
        publish(
            province_user, campaign, approved(campaign, 1), starts_on=datetime.date(2026, 10, 9)
        )

    assert "starts_on" in refused.value.fields


def test_a_firm_already_certified_is_sent_to_re_review(province_user, campaign):
    application = approved(campaign, 1)[0]
    CertificateFactory(enterprise=application.enterprise)

    with pytest.raises(DomainError) as refused:
        publish(province_user, campaign, [application])

    assert refused.value.code == "certificate_held"


# --- objections -------------------------------------------------------------------------------


@pytest.fixture
def open_notice(today, province_user, campaign):
    today(datetime.date(2026, 10, 12))
    return publish(province_user, campaign, approved(campaign))


def test_anyone_may_object_while_the_notice_is_open(open_notice):
    application = open_notice.applications.first()

    objection = objection_file(
        notice=open_notice, application=application, name=" 王敏 ", contact="13800000000",
        text="研发费用与实际不符。", today=datetime.date(2026, 10, 16),
    )

    assert objection.status == ObjectionStatus.PENDING
    assert objection.name == "王敏"


@pytest.mark.parametrize("day", [datetime.date(2026, 10, 9), datetime.date(2026, 10, 17)])
def test_objections_outside_the_notice_period_are_refused(open_notice, day):
    with pytest.raises(InvalidTransition):
        objection_file(
            notice=open_notice, application=open_notice.applications.first(), name="王敏",
            contact="138", text="异议", today=day,
        )


def test_an_objection_must_name_a_firm_of_the_notice(open_notice, campaign):
    stranger = ApplicationFactory(campaign=campaign, status=S.PUBLIC_NOTICE)

    with pytest.raises(DomainError) as refused:
        objection_file(
            notice=open_notice, application=stranger, name="王敏", contact="138", text="异议",
            today=datetime.date(2026, 10, 12),
        )

    assert "application" in refused.value.fields


def test_an_objection_against_a_firm_already_rejected_is_refused_whatever_the_callers_copy(
    open_notice, province_user
):
    application = open_notice.applications.first()
    stale = open_notice.applications.get(pk=application.pk)
    objection_decide(
        actor=province_user, objection=ObjectionFactory(application=application), uphold=True,
        reason="经核查研发费用虚报。",
    )

    with pytest.raises(DomainError) as refused:
        objection_file(
            notice=open_notice, application=stale, name="王敏", contact="138", text="异议",
            today=datetime.date(2026, 10, 12),
        )

    assert "application" in refused.value.fields


def test_an_objection_needs_name_contact_and_text(open_notice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        objection_file(
            notice=open_notice, application=open_notice.applications.first(), name="",
            contact="", text=" ", today=datetime.date(2026, 10, 12),
        )

    assert set(refused.value.message_dict) == {"name", "contact", "text"}


def test_upholding_an_objection_rejects_the_application_with_the_reason(
    open_notice, province_user
):
    application = open_notice.applications.first()
    objection = ObjectionFactory(application=application)

    decided = objection_decide(
        actor=province_user, objection=objection, uphold=True, reason="经核查研发费用虚报。"
    )

    assert decided.status == ObjectionStatus.UPHELD
    assert (decided.decided_by, decided.decision_reason) == (province_user, "经核查研发费用虚报。")
    assert decided.decided_at is not None
    application.refresh_from_db()
    assert application.status == S.REJECTED
    last = application.transitions.last()
    assert (last.verb, last.reason) == (Verb.UPHOLD_OBJECTION, "经核查研发费用虚报。")


def test_dismissing_an_objection_leaves_the_application_in_notice(open_notice, province_user):
    application = open_notice.applications.first()
    objection = ObjectionFactory(application=application)

    decided = objection_decide(
        actor=province_user, objection=objection, uphold=False, reason="经核查情况属实无误。"
    )

    assert decided.status == ObjectionStatus.DISMISSED
    application.refresh_from_db()
    assert application.status == S.PUBLIC_NOTICE


def test_a_ruling_needs_a_reason_and_cannot_be_reversed(open_notice, province_user):
    objection = ObjectionFactory(application=open_notice.applications.first())

    with pytest.raises(DomainError) as no_reason:
        objection_decide(actor=province_user, objection=objection, uphold=False, reason="")
    objection_decide(actor=province_user, objection=objection, uphold=False, reason="不成立")
    again = objection_decide(actor=province_user, objection=objection, uphold=False, reason="x")
    with pytest.raises(InvalidTransition):
        objection_decide(actor=province_user, objection=objection, uphold=True, reason="成立")

    assert "reason" in no_reason.value.fields
    assert again.decision_reason == "不成立"


def test_only_provincial_reviewers_rule_on_objections(open_notice, city_user):
    objection = ObjectionFactory(application=open_notice.applications.first())

    with pytest.raises(PermissionDenied):
        objection_decide(actor=city_user, objection=objection, uphold=True, reason="成立")


# --- closing ----------------------------------------------------------------------------------


AFTER = datetime.date(2026, 10, 19)


def test_a_notice_cannot_close_before_its_period_ends(open_notice):
    with pytest.raises(InvalidTransition):
        notice_close(notice=open_notice, today=datetime.date(2026, 10, 16))


def test_a_notice_cannot_close_while_an_objection_is_pending(open_notice):
    ObjectionFactory(application=open_notice.applications.first())

    with pytest.raises(InvalidTransition) as refused:
        notice_close(notice=open_notice, today=AFTER)

    assert refused.value.code == "objections_pending"


def test_closing_certifies_the_firms_without_upheld_objections(open_notice, province_user):
    kept, rejected = open_notice.applications.order_by("pk")
    objection_decide(
        actor=province_user, objection=ObjectionFactory(application=rejected), uphold=True,
        reason="异议成立",
    )

    closed = notice_close(notice=open_notice, today=AFTER)

    assert closed.status == NoticeStatus.CLOSED and closed.closed_at is not None
    kept.refresh_from_db()
    assert kept.status == S.CERTIFIED
    assert kept.transitions.last().actor is None  # the system
    certificate = kept.certificate
    assert certificate.level == CertificateLevel.PROVINCIAL
    assert certificate.issued_on == AFTER
    assert certificate.valid_until == datetime.date(2029, 10, 18)
    assert certificate.ruleset_code == kept.campaign.ruleset.code
    assert certificate.number == "GS-ZJTX-2026-0001"
    assert not Certificate.objects.filter(application=rejected).exists()


def test_closing_twice_issues_one_certificate(open_notice):
    notice_close(notice=open_notice, today=AFTER)
    notice_close(notice=open_notice, today=AFTER)

    assert Certificate.objects.count() == 2


def test_a_certificate_graduates_the_firms_pool_entry(open_notice, province_user):
    application = open_notice.applications.first()
    entry = PoolEntryFactory(enterprise=application.enterprise)

    notice_close(notice=open_notice, today=AFTER)

    entry.refresh_from_db()
    assert entry.status == PoolEntryStatus.GRADUATED
    # The task has no user: the reviewer who published the notice signs the graduation.
    assert entry.transitions.last().actor == province_user
    assert application.certificate.number in entry.closed_reason


def test_a_re_review_renews_the_certificate_instead_of_issuing_one(
    today, province_user
):
    today(datetime.date(2026, 10, 12))
    campaign = CampaignFactory(kind=CampaignKind.RE_REVIEW)
    old = CertificateFactory(
        issued_on=datetime.date(2023, 10, 20), valid_until=datetime.date(2026, 10, 19)
    )
    application = ApplicationFactory(
        campaign=campaign, enterprise=old.enterprise, status=S.APPROVED, renews=old
    )
    notice = publish(province_user, campaign, [application])

    notice_close(notice=notice, today=AFTER)

    old.refresh_from_db()
    assert old.renewed_on == AFTER
    assert old.valid_until == datetime.date(2029, 10, 18)
    assert old.status == CertificateStatus.ACTIVE
    assert Certificate.objects.count() == 1
    application.refresh_from_db()
    assert application.status == S.CERTIFIED


def test_a_little_giant_notice_ends_in_national_recommendations(today, province_user):
    today(datetime.date(2026, 10, 12))
    campaign = CampaignFactory(kind=CampaignKind.LITTLE_GIANT)
    applications = approved(campaign)
    notice = publish(province_user, campaign, applications)

    notice_close(notice=notice, today=AFTER)

    recommendations = NationalRecommendation.objects.order_by("application_id")
    assert [r.application_id for r in recommendations] == sorted(a.pk for a in applications)
    assert {r.outcome for r in recommendations} == {RecommendationOutcome.PENDING}
    assert {r.recommended_by for r in recommendations} == {province_user}
    assert not Certificate.objects.exists()
    applications[0].refresh_from_db()
    assert applications[0].status == S.RECOMMENDED


def test_the_daily_run_closes_every_due_notice_and_skips_held_ones(
    today, province_user, campaign
):
    today(datetime.date(2026, 10, 12))
    due = publish(province_user, campaign, approved(campaign, 1))
    held = publish(province_user, campaign, approved(campaign, 1))
    ObjectionFactory(application=held.applications.first())
    later = publish(
        province_user, campaign, approved(campaign, 1), starts_on=datetime.date(2026, 10, 19)
    )

    assert notices_close_due(today=AFTER) == [due.pk]
    assert notices_close_due(today=AFTER) == []
    held.refresh_from_db()
    later.refresh_from_db()
    assert (held.status, later.status) == (NoticeStatus.OPEN, NoticeStatus.OPEN)


def test_a_reviewer_closing_a_notice_must_be_provincial(open_notice, city_user):
    with pytest.raises(PermissionDenied):
        notice_close(actor=city_user, notice=open_notice, today=AFTER)


def test_a_reviewer_out_of_scope_cannot_rule(open_notice, other_city_user):
    objection = ObjectionFactory(application=open_notice.applications.first())

    with pytest.raises((PermissionDenied, OutOfScope)):
        objection_decide(actor=other_city_user, objection=objection, uphold=True, reason="x")


# --- a firm or a notice that cannot be concluded ------------------------------------------------


def test_a_notice_refused_at_close_is_logged_and_the_later_ones_still_close(
    today, province_user, campaign, monkeypatch, caplog
):
    today(datetime.date(2026, 10, 12))
    stuck = publish(province_user, campaign, approved(campaign, 1))
    later = publish(province_user, campaign, approved(campaign, 1))
    stuck_firm = stuck.applications.get().enterprise
    issue = notices_module.certificate_issue

    def refusing_issue(**kwargs):
        if kwargs["enterprise"] == stuck_firm:
            raise DomainError("No serial left.", code="no_serial_left")
        return issue(**kwargs)

    monkeypatch.setattr(notices_module, "certificate_issue", refusing_issue)

    with caplog.at_level(logging.WARNING, logger="certification.services.notices"):
        assert notices_close_due(today=AFTER) == [later.pk]

    stuck.refresh_from_db()
    later.refresh_from_db()
    assert (stuck.status, later.status) == (NoticeStatus.OPEN, NoticeStatus.CLOSED)
    # The refused notice is rolled back whole: its firm is still in notice, uncertified.
    assert stuck.applications.get().status == S.PUBLIC_NOTICE
    assert later.applications.get().status == S.CERTIFIED
    assert f"Notice {stuck.pk} could not be closed (no_serial_left)" in caplog.text


def test_a_re_review_firm_whose_certificate_was_revoked_is_rejected_and_the_others_renewed(
    today, province_user
):
    today(datetime.date(2026, 10, 12))
    campaign = CampaignFactory(kind=CampaignKind.RE_REVIEW)
    revoked, kept = (
        CertificateFactory(
            issued_on=datetime.date(2023, 10, 20), valid_until=datetime.date(2026, 10, 19)
        )
        for _ in range(2)
    )
    applications = [
        ApplicationFactory(
            campaign=campaign, enterprise=certificate.enterprise, status=S.APPROVED,
            renews=certificate,
        )
        for certificate in (revoked, kept)
    ]
    notice = publish(province_user, campaign, applications)
    certificate_revoke(
        actor=province_user, certificate=revoked, reason=RevocationReason.FALSIFIED,
        note="公示期间查实申报材料弄虚作假。",
    )

    closed = notice_close(notice=notice, today=AFTER)

    assert closed.status == NoticeStatus.CLOSED
    refused, renewed = applications
    refused.refresh_from_db()
    renewed.refresh_from_db()
    assert refused.status == S.REJECTED
    transition = refused.transitions.last()
    assert transition.verb == Verb.REJECT and transition.actor is None
    assert transition.reason == "证书已撤销，不能复核续期。"
    assert renewed.status == S.CERTIFIED
    kept.refresh_from_db()
    assert (kept.renewed_on, kept.status) == (AFTER, CertificateStatus.ACTIVE)
    revoked.refresh_from_db()
    assert (revoked.renewed_on, revoked.status) == (None, CertificateStatus.REVOKED)


def test_a_firm_certified_elsewhere_during_the_notice_is_rejected_not_the_whole_notice(
    open_notice, province_user
):
    elsewhere, normal = open_notice.applications.order_by("pk")
    CertificateFactory(enterprise=elsewhere.enterprise)

    # Closed from an English page, the reason is still stored in the language of record.
    with translation.override("en"):
        notice_close(actor=province_user, notice=open_notice, today=AFTER)

    elsewhere.refresh_from_db()
    normal.refresh_from_db()
    assert elsewhere.status == S.REJECTED
    assert elsewhere.transitions.last().reason == "企业已持有有效的省级证书，不能再次认定。"
    assert not Certificate.objects.filter(application=elsewhere).exists()
    assert normal.status == S.CERTIFIED
    assert normal.certificate.issued_on == AFTER
