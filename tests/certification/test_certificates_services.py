"""Certificates through their services: numbers, validity, renewal, expiry, revocation, events."""

import datetime

import pytest
from django.db import transaction

from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate, CertificateSequence
from certification.services.certificates import (
    certificate_issue,
    certificate_renew,
    certificate_revoke,
    certificates_expire,
    term_end,
)
from gansu_sme import events
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from tests.factories.certificates import CertificateFactory
from tests.factories.registry import EnterpriseFactory

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")


@pytest.fixture
def received():
    """Events received by a connected receiver, as (event name, payload) pairs."""
    calls = []
    receivers = {}
    for name in ("certificate_issued", "certificate_renewed", "certificate_revoked",
                 "certificate_expired"):
        def receiver(sender, name=name, **payload):
            payload.pop("signal", None)
            calls.append((name, payload))

        receivers[name] = receiver
        getattr(events, name).connect(receiver, weak=False)
    yield calls
    for name, receiver in receivers.items():
        getattr(events, name).disconnect(receiver)


def issue(enterprise, day=datetime.date(2026, 10, 19), level=CertificateLevel.PROVINCIAL,
          actor=None):
    return certificate_issue(
        actor=actor, enterprise=enterprise, level=level, issued_on=day, ruleset_code="zjtx-2022"
    )


@pytest.mark.parametrize(
    ("issued", "until"),
    [
        (datetime.date(2026, 10, 19), datetime.date(2029, 10, 18)),
        (datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)),
        # A term begun on a leap day ends on 28 February of its third year.
        (datetime.date(2028, 2, 29), datetime.date(2031, 2, 28)),
        (datetime.date(2027, 3, 1), datetime.date(2030, 2, 28)),
    ],
)
def test_a_certificate_is_valid_for_three_years_less_a_day(issued, until):
    assert term_end(issued) == until


def test_numbers_run_per_year_and_level_without_gaps(db):
    firms = EnterpriseFactory.create_batch(3)
    first = issue(firms[0])
    second = issue(firms[1])
    national = issue(firms[0], level=CertificateLevel.NATIONAL)
    next_year = issue(firms[2], day=datetime.date(2027, 1, 4))

    assert [first.number, second.number] == ["GS-ZJTX-2026-0001", "GS-ZJTX-2026-0002"]
    assert national.number == "GS-XJR-2026-0001"
    assert next_year.number == "GS-ZJTX-2027-0001"
    assert CertificateSequence.objects.get(year=2026, level="provincial").last == 2


def test_a_rolled_back_issue_gives_its_number_back(db):
    firm, other = EnterpriseFactory.create_batch(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(firm)
        raise RuntimeError

    assert issue(other).number == "GS-ZJTX-2026-0001"


def test_a_firm_with_a_valid_certificate_gets_no_second_one(db):
    certificate = CertificateFactory()

    with pytest.raises(DomainError) as refused:
        issue(certificate.enterprise)

    assert refused.value.code == "certificate_held"


def test_issue_is_announced_once_after_commit_and_not_on_rollback(
    django_capture_on_commit_callbacks, received, db
):
    firm, other = EnterpriseFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=False) as rolled_back:
        with pytest.raises(RuntimeError), transaction.atomic():
            issue(firm)
            raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True) as committed:
        certificate = issue(other)
        assert received == []  # nothing before the commit

    assert rolled_back == []
    assert len(committed) == 1
    assert received == [("certificate_issued", {"certificate_id": certificate.pk})]


def test_renewal_starts_a_fresh_term_and_is_announced(
    django_capture_on_commit_callbacks, received, db
):
    certificate = CertificateFactory(
        issued_on=datetime.date(2023, 10, 20), valid_until=datetime.date(2026, 10, 19),
        status=CertificateStatus.EXPIRED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        renewed = certificate_renew(
            actor=None, certificate=certificate, renewed_on=datetime.date(2026, 11, 2)
        )
        certificate_renew(
            actor=None, certificate=certificate, renewed_on=datetime.date(2026, 11, 2)
        )

    assert renewed.status == CertificateStatus.ACTIVE
    assert renewed.valid_until == datetime.date(2029, 11, 1)
    assert renewed.renewed_on == datetime.date(2026, 11, 2)
    assert received == [("certificate_renewed", {"certificate_id": certificate.pk})]


def test_a_renewal_never_shortens_the_term(db):
    certificate = CertificateFactory(issued_on=datetime.date(2026, 10, 20))

    renewed = certificate_renew(
        actor=None, certificate=certificate, renewed_on=datetime.date(2026, 3, 1)
    )

    assert renewed.valid_until == datetime.date(2029, 10, 19)


def test_a_revoked_certificate_cannot_be_renewed(province_user):
    certificate = CertificateFactory()
    certificate_revoke(
        actor=province_user, certificate=certificate, reason=RevocationReason.RELOCATED,
        note="企业已迁往陕西省。",
    )

    with pytest.raises(InvalidTransition):
        certificate_renew(actor=None, certificate=certificate, renewed_on=datetime.date(2027, 1, 4))


def test_expiry_marks_certificates_past_validity_once(
    django_capture_on_commit_callbacks, received, db
):
    lapsed = CertificateFactory(issued_on=datetime.date(2023, 10, 20))  # valid until 2026-10-19
    last_day = CertificateFactory(issued_on=datetime.date(2023, 10, 21))  # until 2026-10-20
    revoked = CertificateFactory(
        issued_on=datetime.date(2023, 1, 3), status=CertificateStatus.REVOKED,
        revocation_reason=RevocationReason.ON_REQUEST, revoked_at=datetime.datetime(
            2024, 1, 1, tzinfo=datetime.UTC
        ),
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = certificates_expire(today=datetime.date(2026, 10, 20))
    with django_capture_on_commit_callbacks(execute=True):
        second = certificates_expire(today=datetime.date(2026, 10, 20))

    assert first == [lapsed.pk] and second == []
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses[lapsed.pk] == CertificateStatus.EXPIRED
    assert statuses[last_day.pk] == CertificateStatus.ACTIVE
    assert statuses[revoked.pk] == CertificateStatus.REVOKED
    assert received == [("certificate_expired", {"certificate_id": lapsed.pk})]


def test_revocation_records_the_reason_and_announces_it(
    django_capture_on_commit_callbacks, received, province_user
):
    certificate = CertificateFactory()

    with django_capture_on_commit_callbacks(execute=True):
        revoked = certificate_revoke(
            actor=province_user, certificate=certificate, reason=RevocationReason.FALSIFIED,
            note="申报材料中研发费用虚报。",
        )
        again = certificate_revoke(
            actor=province_user, certificate=certificate, reason=RevocationReason.ON_REQUEST,
            note="重复提交",
        )

    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revoked_by == province_user
    assert revoked.revocation_note == "申报材料中研发费用虚报。"
    assert again.revocation_reason == RevocationReason.FALSIFIED
    assert received == [
        ("certificate_revoked", {"certificate_id": certificate.pk, "reason": "falsified"})
    ]


def test_revocation_needs_a_coded_reason_and_a_note(province_user):
    certificate = CertificateFactory()

    with pytest.raises(DomainError) as refused:
        certificate_revoke(actor=province_user, certificate=certificate, reason="bad", note=" ")

    assert set(refused.value.fields) == {"reason", "note"}


def test_only_provincial_reviewers_revoke(city_user, api_user):
    certificate = CertificateFactory()

    for actor in (city_user, api_user):
        with pytest.raises(PermissionDenied):
            certificate_revoke(
                actor=actor, certificate=certificate, reason=RevocationReason.ON_REQUEST,
                note="企业申请",
            )
