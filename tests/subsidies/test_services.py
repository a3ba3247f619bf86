"""Awards from events, money held within budgets, batches under four eyes, clawback."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate
from gansu_sme import events
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from registry.models import ExportRecord
from subsidies import selectors, services
from subsidies.choices import (
    BATCH_TRANSITIONS,
    BatchStatus,
    BatchVerb,
    EntitlementStatus,
    ProgramKind,
)
from subsidies.models import (
    Allocation,
    BatchItem,
    Budget,
    Entitlement,
    PaymentBatch,
    Program,
    ProgramPair,
    ReceivingAccount,
)
from subsidies.tasks import entitlements_reconcile_task
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import (
    accounts_for,
    approved_awards,
    budget,
    certificate,
    revoke_quietly,
    submitted_batch,
)

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 1, 15)


def issue(enterprise, capture, **kwargs):
    """A certificate announced as certification announces it, on commit."""
    with capture(execute=True):
        cert = certificate(enterprise, **kwargs)
        events.announce(events.certificate_issued, certificate_id=cert.pk)
    return cert


def revoke(cert, reason, capture, actor):
    with capture(execute=True):
        Certificate.objects.filter(pk=cert.pk).update(
            status=CertificateStatus.REVOKED, revocation_reason=reason,
            revoked_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC), revoked_by=actor,
        )
        events.announce(events.certificate_revoked, certificate_id=cert.pk, reason=reason)


def paid_award(enterprise, finance, finance2, capture):
    cert = issue(enterprise, capture)
    entitlement = Entitlement.objects.get(certificate=cert)
    pay([entitlement], finance, finance2)
    entitlement.refresh_from_db()
    return cert, entitlement


def pay(entitlements, finance, finance2, budget_=None):
    budget_ = budget_ or budget(finance)
    for entitlement in entitlements:
        services.entitlement_approve(actor=finance, entitlement=entitlement, budget=budget_)
    batch = services.batch_create(actor=finance, title="2025年第一批")
    services.batch_add_entitlements(
        actor=finance, batch=batch, entitlements=accounts_for(accounts_for(entitlements)
    ))
    services.batch_submit(actor=finance, batch=batch)
    services.batch_approve(actor=finance2, batch=batch)
    services.batch_pay(
        actor=finance, batch=batch, bank_reference="ICBC-20260115-001",
        paid_on=PAID_ON,
    )
    return batch


def test_the_plan_programs_are_seeded_as_data():
    """The plan's programs run 2018–2020; the years after are rows of their own, open-ended,
    with the same amounts until edited."""
    for first, last in ((2018, 2020), (2021, None)):
        rows = Program.objects.filter(first_year=first, last_year=last)
        assert dict(rows.values_list("kind", "amount")) == {
            ProgramKind.PROVINCIAL_CERTIFICATE: Decimal("300000.00"),
            ProgramKind.NATIONAL_CERTIFICATE: Decimal("500000.00"),
            ProgramKind.CITY_SCALE_UP: Decimal("300000.00"),
            ProgramKind.PROJECT: None,
        }
    amounts = dict(Program.objects.values_list("kind", "amount"))
    assert amounts == {
        ProgramKind.PROVINCIAL_CERTIFICATE: Decimal("300000.00"),
        ProgramKind.NATIONAL_CERTIFICATE: Decimal("500000.00"),
        ProgramKind.CITY_SCALE_UP: Decimal("300000.00"),
        ProgramKind.PROJECT: None,
    }
    assert set(Program.objects.values_list("legal_basis", flat=True)) == {"甘工信发〔2018〕551号"}


def test_a_certificate_issued_creates_its_award_once(
    enterprise, django_capture_on_commit_callbacks
):
    cert = issue(enterprise, django_capture_on_commit_callbacks)
    entitlement = Entitlement.objects.get(enterprise=enterprise)
    assert entitlement.amount == Decimal("300000.00")
    assert entitlement.status == EntitlementStatus.PENDING
    assert entitlement.payee_code == enterprise.uscc
    assert entitlement.city == region("620100")
    # The same event again, and a later certificate of the same level: still one award.
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(events.certificate_issued, certificate_id=cert.pk)
    Certificate.objects.filter(pk=cert.pk).update(status=CertificateStatus.EXPIRED)
    issue(enterprise, django_capture_on_commit_callbacks, year=2028)
    assert Entitlement.objects.filter(enterprise=enterprise).count() == 1


def test_the_database_refuses_a_second_once_per_firm_award(enterprise):
    cert = certificate(enterprise)
    first, created = services.entitlement_from_certificate(certificate_id=cert.pk)
    assert created
    duplicate = Entitlement.objects.get(pk=first.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_program_edited_changes_new_awards_only(
    finance, enterprise, django_capture_on_commit_callbacks
):
    program = Program.objects.get(kind=ProgramKind.NATIONAL_CERTIFICATE, first_year=2021)
    services.program_update(actor=finance, program=program, amount=Decimal("600000"),
                            legal_basis="甘工信发〔2023〕1号", last_year=2024)
    issue(enterprise, django_capture_on_commit_callbacks, level=CertificateLevel.NATIONAL)
    # The program ended in 2024; a 2025 certificate earns nothing under it.
    assert not Entitlement.objects.exists()
    services.program_update(actor=finance, program=program, last_year=None)
    assert services.entitlements_reconcile() == {"created": 1, "clawed_back": 0}
    assert Entitlement.objects.get().amount == Decimal("600000.00")


def test_only_finance_officers_edit_programs(province_user):
    with pytest.raises(PermissionDenied):
        services.program_update(
            actor=province_user, program=Program.objects.first(), amount=Decimal("1")
        )


@pytest.mark.parametrize(
    ("highest_only", "national_due"),
    [(False, Decimal("500000.00")), (True, Decimal("200000.00"))],
)
def test_highest_only_pays_the_difference_and_the_default_pays_both(
    finance, enterprise, django_capture_on_commit_callbacks, highest_only, national_due
):
    services.program_pair_set(
        actor=finance,
        programs=Program.objects.filter(kind__in=(ProgramKind.PROVINCIAL_CERTIFICATE,
                                                  ProgramKind.NATIONAL_CERTIFICATE),
                                        first_year=2021),
        highest_only=highest_only,
    )
    issue(enterprise, django_capture_on_commit_callbacks)
    issue(enterprise, django_capture_on_commit_callbacks, level=CertificateLevel.NATIONAL,
          year=2026)
    national = Entitlement.objects.get(program__kind=ProgramKind.NATIONAL_CERTIFICATE)
    assert national.full_amount == Decimal("500000.00")
    assert national.amount == national_due
    assert bool(national.offset_note) is highest_only


def test_the_province_switches_highest_only_in_the_admin_and_it_is_attributed(admin_client):
    pair = ProgramPair.objects.get(first__first_year=2021)
    assert pair.highest_only is False

    response = admin_client.post(
        reverse("admin:subsidies_programpair_change", args=[pair.pk]), {"highest_only": "on"}
    )

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.highest_only is True
    assert pair.events.last().pgh_context.metadata["user"] == response.wsgi_request.user.pk


def test_highest_only_after_the_higher_award_leaves_nothing_to_pay(finance, enterprise):
    services.program_pair_set(
        actor=finance,
        programs=Program.objects.filter(kind__in=(ProgramKind.PROVINCIAL_CERTIFICATE,
                                                  ProgramKind.NATIONAL_CERTIFICATE),
                                        first_year=2021),
        highest_only=True,
    )
    national = certificate(enterprise, level=CertificateLevel.NATIONAL)
    provincial = certificate(enterprise, year=2026)
    services.entitlement_from_certificate(certificate_id=national.pk)
    later, _ = services.entitlement_from_certificate(certificate_id=provincial.pk)
    assert later.amount == Decimal("0.00")
    assert later.status == EntitlementStatus.CANCELLED


def test_approval_reserves_within_the_city_block_and_refuses_past_it(finance, enterprise):
    budget_ = budget(finance, blocks={"620100": "500000"})
    firms = [enterprise, EnterpriseFactory()]
    awards = [services.entitlement_from_certificate(certificate_id=certificate(f).pk)[0]
              for f in firms]
    services.entitlement_approve(actor=finance, entitlement=awards[0], budget=budget_)
    allocation = Allocation.objects.get()
    assert (allocation.reserved, allocation.remaining) == (Decimal("300000.00"),
                                                            Decimal("200000.00"))
    with pytest.raises(DomainError) as refused:
        services.entitlement_approve(actor=finance, entitlement=awards[1], budget=budget_)
    assert "budget" in refused.value.fields
    awards[1].refresh_from_db()
    assert awards[1].status == EntitlementStatus.PENDING


def test_blocks_cannot_pass_the_budget(finance):
    budget_ = budget(finance, amount="1000000", blocks={"620100": "600000"})
    with pytest.raises(DomainError):
        services.allocation_set(actor=finance, budget=budget_, city=region("620500"),
                                amount=Decimal("400000.01"))
    services.allocation_set(actor=finance, budget=budget_, city=region("LZXQ"),
                            amount=Decimal("400000"))
    budget_.refresh_from_db()
    assert budget_.allocated == budget_.amount == Decimal("1000000.00")
    # The database refuses it too, whatever a service forgets.
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=budget_.pk).update(allocated=Decimal("1000000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(city__code="LZXQ").update(reserved=Decimal("400000.01"))


def test_a_batch_goes_from_draft_to_paid_with_two_officers(finance, finance2, enterprise):
    other = EnterpriseFactory(region=region("620103"))
    awards = [services.entitlement_from_certificate(certificate_id=certificate(f).pk)[0]
              for f in (enterprise, other)]
    batch = pay(awards, finance, finance2)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    assert batch.bank_reference == "ICBC-20260115-001"
    assert list(batch.transitions.values_list("from_status", "to_status", "actor__username")) == [
        ("draft", "submitted", "finance"),
        ("submitted", "approved", "finance2"),
        ("approved", "paid", "finance"),
    ]
    allocation = Allocation.objects.get()
    assert (allocation.reserved, allocation.committed, allocation.paid) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("600000.00"))
    assert set(Entitlement.objects.values_list("status", flat=True)) == {EntitlementStatus.PAID}
    assert not BatchItem.objects.filter(is_open=True).exists()


def test_the_maker_cannot_approve_the_batch(finance, enterprise):
    award = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([award]))
    services.batch_submit(actor=finance, batch=batch)
    with pytest.raises(DomainError):
        services.batch_approve(actor=finance, batch=batch)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=finance)


def test_an_entitlement_is_in_one_open_batch_at_most(finance, enterprise):
    award = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    first = services.batch_create(actor=finance, title="一")
    second = services.batch_create(actor=finance, title="二")
    services.batch_add_entitlements(actor=finance, batch=first, entitlements=accounts_for([award]))
    with pytest.raises(DomainError):
        services.batch_add_entitlements(
            actor=finance, batch=second, entitlements=accounts_for([award])
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=second, entitlement=award, amount=award.amount)
    # Once the first is cancelled the award is free for another batch.
    services.batch_cancel(actor=finance, batch=first, reason="重做")
    services.batch_add_entitlements(actor=finance, batch=second, entitlements=accounts_for([award]))
    assert selectors.batch_get(user=finance, pk=second.pk).total == Decimal("300000.00")


def test_cancelling_an_approved_batch_returns_committed_money_to_reserved(
    finance, finance2, enterprise
):
    award = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([award]))
    services.batch_submit(actor=finance, batch=batch)
    services.batch_approve(actor=finance2, batch=batch)
    assert Allocation.objects.get().committed == Decimal("300000.00")
    services.batch_cancel(actor=finance2, batch=batch, reason="退票")
    allocation = Allocation.objects.get()
    assert (allocation.reserved, allocation.committed) == (Decimal("300000.00"), Decimal("0"))


@pytest.mark.parametrize(
    ("status", "verb", "allowed"),
    [
        (BatchStatus.DRAFT, BatchVerb.SUBMIT, True),
        (BatchStatus.DRAFT, BatchVerb.APPROVE, False),
        (BatchStatus.DRAFT, BatchVerb.PAY, False),
        (BatchStatus.DRAFT, BatchVerb.CANCEL, True),
        (BatchStatus.SUBMITTED, BatchVerb.SUBMIT, False),
        (BatchStatus.SUBMITTED, BatchVerb.APPROVE, True),
        (BatchStatus.SUBMITTED, BatchVerb.PAY, False),
        (BatchStatus.SUBMITTED, BatchVerb.CANCEL, True),
        (BatchStatus.APPROVED, BatchVerb.APPROVE, False),
        (BatchStatus.APPROVED, BatchVerb.PAY, True),
        (BatchStatus.APPROVED, BatchVerb.CANCEL, True),
        (BatchStatus.PAID, BatchVerb.CANCEL, False),
        (BatchStatus.PAID, BatchVerb.PAY, False),
        (BatchStatus.CANCELLED, BatchVerb.SUBMIT, False),
    ],
)
def test_batch_transitions_follow_the_table(
    finance, finance2, enterprise, status, verb, allowed
):
    award = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([award]))
    steps = {
        BatchStatus.SUBMITTED: [BatchVerb.SUBMIT],
        BatchStatus.APPROVED: [BatchVerb.SUBMIT, BatchVerb.APPROVE],
        BatchStatus.PAID: [BatchVerb.SUBMIT, BatchVerb.APPROVE, BatchVerb.PAY],
        BatchStatus.CANCELLED: [BatchVerb.CANCEL],
    }.get(status, [])
    details = {
        BatchVerb.PAY: {"bank_reference": "BANK-1", "paid_on": PAID_ON},
        BatchVerb.CANCEL: {"reason": "原因"},
    }

    def run(step, actor):
        return services.BATCH_VERB_SERVICES[step](
            actor=actor, batch=batch, **details.get(step, {})
        )

    def by(step):
        # The maker submits; the second officer does the rest.
        return finance if step == BatchVerb.SUBMIT else finance2

    for step in steps:
        run(step, by(step))
    batch.refresh_from_db()
    assert batch.status == status
    rows = batch.transitions.count()
    if allowed:
        assert run(verb, by(verb)).status == BATCH_TRANSITIONS[status][verb]
    elif steps and steps[-1] == verb:
        # The officer who took this very step repeats it (a double click): nothing changes.
        assert run(verb, by(verb)).status == status
        assert batch.transitions.count() == rows
        other = finance2 if by(verb) == finance else finance
        with pytest.raises((InvalidTransition, PermissionDenied)):
            run(verb, other)
    else:
        with pytest.raises(InvalidTransition):
            run(verb, by(verb))
    if not allowed:
        batch.refresh_from_db()
        assert batch.status == status


def test_paying_requires_a_bank_reference_and_date(finance, finance2, enterprise):
    award = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([award]))
    services.batch_submit(actor=finance, batch=batch)
    services.batch_approve(actor=finance2, batch=batch)
    with pytest.raises(DomainError) as refused:
        services.batch_pay(actor=finance, batch=batch, bank_reference=" ", paid_on=None)
    assert set(refused.value.fields) == {"bank_reference", "paid_on"}


def test_revocation_for_falsified_application_turns_the_paid_award_into_a_recovery(
    finance, finance2, province_user, enterprise, django_capture_on_commit_callbacks
):
    cert, award = paid_award(enterprise, finance, finance2, django_capture_on_commit_callbacks)
    revoke(cert, RevocationReason.FALSIFIED, django_capture_on_commit_callbacks, province_user)
    award.refresh_from_db()
    assert award.status == EntitlementStatus.RECOVERY_DUE
    assert award.recovery_amount == Decimal("300000.00")
    services.entitlement_record_recovery(
        actor=finance, entitlement=award, amount=Decimal("100000"), reference="缴款书001"
    )
    award.refresh_from_db()
    assert (award.status, award.recovery_outstanding) == (
        EntitlementStatus.RECOVERY_DUE, Decimal("200000.00"))
    with pytest.raises(DomainError):
        services.entitlement_record_recovery(
            actor=finance, entitlement=award, amount=Decimal("200000.01"), reference="x"
        )
    services.entitlement_record_recovery(
        actor=finance, entitlement=award, amount=Decimal("200000"), reference="缴款书002"
    )
    award.refresh_from_db()
    assert award.status == EntitlementStatus.RECOVERED
    row = next(selectors.ledger(user=finance))
    assert (row["paid"], row["recovered"]) == (Decimal("300000.00"), Decimal("300000.00"))


def test_revocation_for_other_reasons_keeps_the_award(
    finance, finance2, province_user, enterprise, django_capture_on_commit_callbacks
):
    cert, award = paid_award(enterprise, finance, finance2, django_capture_on_commit_callbacks)
    revoke(cert, RevocationReason.RELOCATED, django_capture_on_commit_callbacks, province_user)
    award.refresh_from_db()
    assert award.status == EntitlementStatus.PAID


def test_revocation_before_payment_cancels_and_releases_the_reservation(
    finance, province_user, enterprise, django_capture_on_commit_callbacks
):
    cert = issue(enterprise, django_capture_on_commit_callbacks)
    award = Entitlement.objects.get()
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    revoke(cert, RevocationReason.MAJOR_INCIDENT, django_capture_on_commit_callbacks,
           province_user)
    award.refresh_from_db()
    assert award.status == EntitlementStatus.CANCELLED
    assert Allocation.objects.get().reserved == Decimal("0.00")


def test_the_nightly_reconcile_repairs_lost_events(finance, finance2, province_user, enterprise):
    # Certificates whose announcements never arrived.
    cert = certificate(enterprise)
    lost = certificate(EnterpriseFactory(), level=CertificateLevel.NATIONAL)
    assert entitlements_reconcile_task() == {"created": 2, "clawed_back": 0}
    assert entitlements_reconcile_task() == {"created": 0, "clawed_back": 0}
    award = Entitlement.objects.get(certificate=cert)
    pay([award], finance, finance2)
    Certificate.objects.filter(pk=cert.pk).update(
        status=CertificateStatus.REVOKED, revocation_reason=RevocationReason.FALSIFIED,
        revoked_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC), revoked_by=province_user,
    )
    assert entitlements_reconcile_task() == {"created": 0, "clawed_back": 1}
    award.refresh_from_db()
    assert award.status == EntitlementStatus.RECOVERY_DUE
    assert Entitlement.objects.get(certificate=lost).amount == Decimal("500000.00")


def test_the_bank_file_lists_payees_with_exact_totals_and_escapes_formulas(
    finance, finance2, enterprise
):
    import openpyxl

    hostile = EnterpriseFactory(name="=HYPERLINK(\"http://x\")有限公司")
    awards = [services.entitlement_from_certificate(certificate_id=certificate(f).pk)[0]
              for f in (enterprise, hostile)]
    batch = pay(awards, finance, finance2)
    file, name, total = services.batch_bank_file(actor=finance, batch=batch)
    assert total == Decimal("600000.00")
    sheet = openpyxl.load_workbook(file).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "收款账号", "收款户名", "收款开户行", "金额（元）", "用途",
                       "统一社会信用代码")
    assert {(row[1], row[3]) for row in rows[1:3]} == {
        (a.account_number, a.bank_name) for a in ReceivingAccount.objects.all()
    }
    assert "'=HYPERLINK(\"http://x\")有限公司" in {row[2] for row in rows[1:3]}
    assert {row[6] for row in rows[1:3]} == {enterprise.uscc, hostile.uscc}
    assert rows[3][0] == "合计"
    assert rows[3][1] == "2 笔"
    assert Decimal(str(rows[3][4])).quantize(Decimal("0.01")) == Decimal("600000.00")
    assert sum(Decimal(str(r[4])) for r in rows[1:3]) == Decimal("600000")
    record = ExportRecord.objects.get(listing="subsidy_bank_file")
    assert record.filters == {"batch": batch.pk, "total": "600000.00"}
    assert record.row_count == 2


def test_the_ledger_sums_each_program_year_and_city_exactly(finance, finance2, enterprise):
    budget_ = budget(finance)
    firms = [enterprise, EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()]
    awards = [services.entitlement_from_certificate(certificate_id=certificate(f).pk)[0]
              for f in firms]
    pay([awards[0]], finance, finance2, budget_)
    services.entitlement_approve(actor=finance, entitlement=awards[1], budget=budget_)
    services.entitlement_approve(actor=finance, entitlement=awards[2], budget=budget_)
    batch = services.batch_create(actor=finance, title="第二批")
    services.batch_add_entitlements(
        actor=finance, batch=batch, entitlements=accounts_for([awards[2]])
    )
    [row] = list(selectors.ledger(user=finance))
    assert {key: row[key] for key in selectors.LEDGER_COLUMNS} == {
        "entitled": Decimal("1200000.00"),
        "approved": Decimal("600000.00"),
        "in_batch": Decimal("300000.00"),
        "paid": Decimal("300000.00"),
        "recovered": Decimal("0.00"),
        "remaining": Decimal("900000.00"),
    }


def test_an_award_clawed_back_in_an_approved_batch_is_cancelled_with_the_batch(
    finance, finance2
):
    [award] = approved_awards(finance)
    batch = submitted_batch(finance, [award])
    services.batch_approve(actor=finance2, batch=batch)
    revoke_quietly(award)
    # In an approved batch the clawback leaves it: paying it would turn it into a recovery.
    assert services.entitlements_clawback(
        certificate_id=award.certificate_id, reason=RevocationReason.FALSIFIED
    ) == []
    services.batch_cancel(actor=finance2, batch=batch, reason="退票")
    award.refresh_from_db()
    assert award.status == EntitlementStatus.CANCELLED
    allocation = Allocation.objects.get()
    assert (allocation.reserved, allocation.committed) == (Decimal("0.00"), Decimal("0.00"))
    assert not selectors.batch_candidates(user=finance).exists()


def test_a_batch_never_takes_an_award_whose_certificate_was_clawed_back(finance):
    clawed, kept, other_reason = approved_awards(finance, 3)
    revoke_quietly(clawed)
    revoke_quietly(other_reason, RevocationReason.RELOCATED)
    assert set(selectors.batch_candidates(user=finance)) == {kept, other_reason}
    batch = services.batch_create(actor=finance, title="批次")
    with pytest.raises(DomainError) as refused:
        services.batch_add_entitlements(
            actor=finance, batch=batch, entitlements=accounts_for([clawed])
        )
    assert refused.value.code == "certificate_clawed_back"
    assert list(refused.value.fields) == ["entitlements"]
    assert not BatchItem.objects.exists()


def test_cancelling_an_entitlement_in_a_batch_is_refused(finance):
    [award] = approved_awards(finance)
    submitted_batch(finance, [award])
    with pytest.raises(InvalidTransition):
        services.entitlement_cancel(actor=finance, entitlement=award, reason="重复")


def test_removing_an_award_that_is_not_in_the_batch_says_so(finance):
    first, second = approved_awards(finance, 2)
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([first]))
    with pytest.raises(DomainError) as refused:
        services.batch_remove_entitlement(actor=finance, batch=batch, entitlement=second)
    assert refused.value.code == "not_in_batch"
    assert "entitlement" in refused.value.fields


def test_only_the_maker_changes_and_submits_a_draft_and_no_one_who_did_approves(
    finance, finance2
):
    first, second = approved_awards(finance, 2)
    batch = services.batch_create(actor=finance, title="批次")
    with pytest.raises(PermissionDenied):
        services.batch_add_entitlements(
            actor=finance2, batch=batch, entitlements=accounts_for([first])
        )
    services.batch_add_entitlements(
        actor=finance, batch=batch, entitlements=accounts_for([first, second])
    )
    with pytest.raises(PermissionDenied):
        services.batch_remove_entitlement(actor=finance2, batch=batch, entitlement=second)
    with pytest.raises(PermissionDenied) as refused:
        services.batch_submit(actor=finance2, batch=batch)
    assert refused.value.code == "batch_not_maker"
    assert BatchVerb.SUBMIT not in services.batch_verbs(finance2, batch)

    services.batch_submit(actor=finance, batch=batch)
    batch.refresh_from_db()
    assert batch.submitted_by == finance
    assert BatchVerb.APPROVE not in services.batch_verbs(finance, batch)
    with pytest.raises(DomainError):
        services.batch_approve(actor=finance, batch=batch)
    services.batch_approve(actor=finance2, batch=batch)
    assert PaymentBatch.objects.get().status == BatchStatus.APPROVED


def test_a_budget_of_the_year_before_pays_and_an_older_one_is_refused_saying_so(finance):
    award = services.entitlement_from_certificate(
        certificate_id=certificate(EnterpriseFactory(), year=2025).pk
    )[0]
    with pytest.raises(DomainError) as refused:
        services.entitlement_approve(actor=finance, entitlement=award,
                                     budget=budget(finance, year=2023))
    assert refused.value.code == "budget_year"
    assert "2025" in refused.value.fields["budget"][0]
    services.entitlement_approve(actor=finance, entitlement=award,
                                 budget=budget(finance, year=2024))


def test_a_second_budget_for_a_year_and_source_is_refused_by_field(finance):
    budget(finance)
    with pytest.raises(DomainError) as refused:
        budget(finance)
    assert refused.value.code == "budget_exists"
    assert list(refused.value.fields) == ["funding_source"]


def test_the_entitlement_stays_in_the_pool_until_its_batch_is_cancelled(finance, finance2):
    # A plain cancel of an approved batch gives the award back to the pool.
    [award] = approved_awards(finance)
    batch = submitted_batch(finance, [award])
    services.batch_cancel(actor=finance2, batch=batch, reason="重做")
    assert list(selectors.batch_candidates(user=finance)) == [award]
    assert Entitlement.objects.get().status == EntitlementStatus.APPROVED
