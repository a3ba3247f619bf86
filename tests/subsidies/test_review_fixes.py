"""Four eyes that cannot be bypassed, clawed-back awards that stay out of batches, recomputed
city rewards, and an audit trail that keeps the officers' notes."""

import datetime
from decimal import Decimal

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import CertificateStatus, RevocationReason
from certification.models import Certificate
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from registry.models import MonitoringReport
from subsidies import selectors, services
from subsidies.choices import (
    BatchStatus,
    BatchVerb,
    EntitlementStatus,
    ProgramKind,
    ProjectStatus,
)
from subsidies.models import (
    Allocation,
    BatchItem,
    BatchTransition,
    Entitlement,
    PaymentBatch,
    Program,
)
from tests.factories.accounts import PASSWORD
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import budget, certificate

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def approved(finance, count=1, budget_=None):
    budget_ = budget_ or budget(finance)
    made = []
    for _ in range(count):
        entitlement = services.entitlement_from_certificate(
            certificate_id=certificate(EnterpriseFactory()).pk
        )[0]
        made.append(services.entitlement_approve(
            actor=finance, entitlement=entitlement, budget=budget_
        ))
    return made


def revoke_quietly(entitlement, reason=RevocationReason.FALSIFIED):
    """The certificate revoked without the event reaching the subsidy app yet."""
    Certificate.objects.filter(pk=entitlement.certificate_id).update(
        status=CertificateStatus.REVOKED, revocation_reason=reason,
        revoked_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )


def submitted_batch(finance, entitlements):
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=entitlements)
    return services.batch_submit(actor=finance, batch=batch)


# --- clawback and batches ------------------------------------------------------------------


def test_an_award_clawed_back_in_an_approved_batch_is_cancelled_with_the_batch(
    finance, finance2
):
    [award] = approved(finance)
    batch = submitted_batch(finance, [award])
    services.batch_approve(actor=finance2, batch=batch)
    revoke_quietly(award)
    # In an approved batch the clawback leaves it: paying it would turn it into a recovery.
    assert services.entitlements_clawback(
        certificate_id=award.certificate_id, reason=RevocationReason.FALSIFIED
    ) == []
    services.batch_cancel(actor=finance2, batch=batch,
                              reason="退票")
    award.refresh_from_db()
    assert award.status == EntitlementStatus.CANCELLED
    allocation = Allocation.objects.get()
    assert (allocation.reserved, allocation.committed) == (Decimal("0.00"), Decimal("0.00"))
    assert not selectors.batch_candidates(user=finance).exists()


def test_a_batch_never_takes_an_award_whose_certificate_was_clawed_back(finance):
    clawed, kept, other_reason = approved(finance, 3)
    revoke_quietly(clawed)
    revoke_quietly(other_reason, RevocationReason.RELOCATED)
    assert set(selectors.batch_candidates(user=finance)) == {kept, other_reason}
    batch = services.batch_create(actor=finance, title="批次")
    with pytest.raises(DomainError) as refused:
        services.batch_add_entitlements(actor=finance, batch=batch, entitlements=[clawed])
    assert "clawback" in refused.value.fields["entitlements"][0]
    assert not BatchItem.objects.exists()


def test_cancelling_an_entitlement_in_a_batch_is_refused(finance):
    [award] = approved(finance)
    submitted_batch(finance, [award])
    with pytest.raises(InvalidTransition):
        services.entitlement_cancel(actor=finance, entitlement=award, reason="重复")


# --- four eyes -----------------------------------------------------------------------------


def test_only_the_maker_changes_and_submits_a_draft_and_no_one_who_did_approves(
    finance, finance2
):
    first, second = approved(finance, 2)
    batch = services.batch_create(actor=finance, title="批次")
    with pytest.raises(PermissionDenied):
        services.batch_add_entitlements(actor=finance2, batch=batch, entitlements=[first])
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=[first, second])
    with pytest.raises(PermissionDenied):
        services.batch_remove_entitlement(actor=finance2, batch=batch, entitlement=second)
    with pytest.raises(PermissionDenied) as refused:
        services.batch_submit(actor=finance2, batch=batch)
    assert "Only the officer who made the batch" in refused.value.message
    assert BatchVerb.SUBMIT not in services.batch_verbs(finance2, batch)

    services.batch_submit(actor=finance, batch=batch)
    batch.refresh_from_db()
    assert batch.submitted_by == finance
    assert BatchVerb.APPROVE not in services.batch_verbs(finance, batch)
    with pytest.raises(DomainError):
        services.batch_approve(actor=finance, batch=batch)
    services.batch_approve(actor=finance2, batch=batch)
    assert PaymentBatch.objects.get().status == BatchStatus.APPROVED


def test_the_batch_page_offers_changes_to_its_maker_only(client, finance, finance2):
    [award] = approved(finance)
    batch = services.batch_create(actor=finance, title="批次")
    client.login(username=finance2.username, password=PASSWORD)
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    assert b'id="batch-add"' not in page.content
    assert b'id="batch-submit"' not in page.content
    response = client.post(reverse("subsidies:batch-add", args=[batch.pk]),
                           {"entitlement": award.pk})
    assert response.status_code == 403
    assert not BatchItem.objects.exists()


def test_an_officers_note_reaches_the_batch_history(client, finance, finance2):
    [award] = approved(finance)
    batch = submitted_batch(finance, [award])
    client.login(username=finance2.username, password=PASSWORD)
    response = client.post(reverse("subsidies:batch-transition", args=[batch.pk, "approve"]),
                           {"approve-note": "已核对银行账户"})
    assert response.status_code == 302
    assert BatchTransition.objects.get(to_status=BatchStatus.APPROVED).reason == "已核对银行账户"
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    assert "已核对银行账户" in page.content.decode()


def test_a_budget_of_the_year_before_pays_and_an_older_one_is_refused_saying_so(finance):
    award = services.entitlement_from_certificate(
        certificate_id=certificate(EnterpriseFactory(), year=2025).pk
    )[0]
    with pytest.raises(DomainError) as refused:
        services.entitlement_approve(actor=finance, entitlement=award,
                                     budget=budget(finance, year=2023))
    assert refused.value.fields["budget"] == [
        "预算年度应为奖补年度（2025年）或上一年度。"
        " The budget must be of the award's year (2025) or the year before."
    ]
    services.entitlement_approve(actor=finance, entitlement=award,
                                 budget=budget(finance, year=2024))


# --- API -----------------------------------------------------------------------------------


def test_the_batch_detail_api_takes_constant_queries(as_user, finance):
    budget_ = budget(finance, blocks={"620100": "9000000"})
    batch = services.batch_create(actor=finance, title="批")
    services.batch_add_entitlements(actor=finance, batch=batch,
                                    entitlements=approved(finance, 1, budget_))
    client = as_user(finance)
    url = f"/api/v1/payment-batches/{batch.pk}/"
    from django.db import connection

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["items"]) == 1
    services.batch_add_entitlements(actor=finance, batch=batch,
                                    entitlements=approved(finance, 5, budget_))
    with CaptureQueriesContext(connection) as six:
        response = client.get(url).json()
    assert len(response["items"]) == 6
    assert all(item["payee_name"] for item in response["items"])
    assert len(six) == len(one)


# --- admin ---------------------------------------------------------------------------------


def test_the_program_admin_saves_through_the_service_and_never_deletes(admin_client):
    program = Program.objects.get(kind=ProgramKind.PROVINCIAL_CERTIFICATE)
    url = reverse("admin:subsidies_program_change", args=[program.pk])
    response = admin_client.post(url, {
        "name": program.name, "amount": "350000.00", "legal_basis": "甘工信发〔2026〕1号",
        "first_year": program.first_year or "", "last_year": program.last_year or "",
        "is_active": "on",
    })
    assert response.status_code == 302, response.content
    program.refresh_from_db()
    assert program.amount == Decimal("350000.00")
    assert program.events.last().pgh_context.metadata["user"] == response.wsgi_request.user.pk
    delete = reverse("admin:subsidies_program_delete", args=[program.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()


# --- city rewards and projects -------------------------------------------------------------


def crossing(name, before, after, code="620102"):
    firm = EnterpriseFactory(name=name, region=region(code))
    verified_annual(firm, YEAR - 1, before)
    verified_annual(firm, YEAR, after)
    return firm


def test_a_city_reward_recomputed_to_zero_reopens_when_firms_come_back(finance):
    lanzhou = region("620100")
    firm = crossing("升规甲", 1500, 2500)
    reward = services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement = reward.entitlement
    services.entitlement_approve(actor=finance, entitlement=entitlement, budget=budget(finance))
    # The program is repriced later: this reward keeps the price it was made with.
    Program.objects.filter(kind=ProgramKind.CITY_SCALE_UP).update(amount=Decimal("400000"))

    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("1900")
    )
    services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.CANCELLED
    assert Allocation.objects.get().reserved == Decimal("0.00")

    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("2500")
    )
    crossing("升规乙", 1500, 2500, code="620103")
    services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.PENDING
    assert entitlement.amount == entitlement.full_amount == Decimal("600000.00")
    assert entitlement.allocation is None
    assert list(entitlement.transitions.values_list("from_status", "to_status")) == [
        ("", "pending"), ("pending", "approved"), ("approved", "cancelled"),
        ("cancelled", "pending"),
    ]


def test_a_city_reward_in_a_batch_is_not_recomputed(finance):
    lanzhou = region("620100")
    firm = crossing("升规甲", 1500, 2500)
    reward = services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    services.entitlement_approve(actor=finance, entitlement=reward.entitlement,
                                 budget=budget(finance))
    submitted_batch(finance, [reward.entitlement])
    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("1900")
    )
    with pytest.raises(InvalidTransition):
        services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)


def test_a_second_budget_for_a_year_and_source_is_refused_by_field(finance):
    budget(finance)
    with pytest.raises(DomainError) as refused:
        budget(finance)
    assert list(refused.value.fields) == ["funding_source"]


def test_every_project_step_is_recorded_and_shown(
    client, county_user, city_user, finance, enterprise
):
    budget_ = budget(finance, blocks={"620100": "500000"})
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=YEAR, title="数控机床智能化改造",
        purpose="购置五轴加工中心", amount_requested=Decimal("300000"), evidence="可研报告",
    )
    services.project_vouch(actor=city_user, project=project, note="材料真实")
    services.project_approve(actor=finance, project=project, amount=Decimal("200000"),
                             budget=budget_, note="按比例支持")
    rows = list(project.transitions.values_list("from_status", "to_status", "actor", "reason"))
    assert rows == [
        ("", ProjectStatus.SUBMITTED, county_user.pk, ""),
        (ProjectStatus.SUBMITTED, ProjectStatus.VOUCHED, city_user.pk, "材料真实"),
        (ProjectStatus.VOUCHED, ProjectStatus.APPROVED, finance.pk,
         "200000.00 元。 200000.00 yuan. 按比例支持"),
    ]
    client.login(username=finance.username, password=PASSWORD)
    page = client.get(reverse("subsidies:project-detail", args=[project.pk])).content.decode()
    assert "材料真实" in page and "按比例支持" in page


def test_a_rejection_is_recorded_with_its_note(county_user, city_user, enterprise):
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=YEAR, title="项目", purpose="用途",
        amount_requested=Decimal("100000"), evidence="证明",
    )
    services.project_reject(actor=city_user, project=project, note="材料不全")
    last = project.transitions.last()
    assert (last.to_status, last.actor, last.reason) == (
        ProjectStatus.REJECTED, city_user, "材料不全")


def test_the_entitlement_stays_in_the_pool_until_its_batch_is_cancelled(finance, finance2):
    # A plain cancel of an approved batch gives the award back to the pool.
    [award] = approved(finance)
    batch = submitted_batch(finance, [award])
    services.batch_cancel(actor=finance2, batch=batch, reason="重做")
    assert list(selectors.batch_candidates(user=finance)) == [award]
    assert Entitlement.objects.get().status == EntitlementStatus.APPROVED
