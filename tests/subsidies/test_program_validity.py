"""Award programs have a validity period: the 2018 plan's run 2018–2020, later years are rows
of their own; an award is made under the row valid on the day it is earned."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from certification.choices import CertificateLevel
from gansu_sme.exceptions import DomainError
from subsidies import services
from subsidies.choices import ProgramKind
from subsidies.models import Entitlement, Program
from tests.factories.certificates import CertificateFactory
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("issued_on", "first_year"),
    [(datetime.date(2018, 1, 1), 2018), (datetime.date(2020, 12, 31), 2018),
     (datetime.date(2021, 1, 1), 2021)],
)
def test_a_certificate_award_is_made_under_the_program_valid_on_its_issue_day(
    issued_on, first_year
):
    cert = CertificateFactory(issued_on=issued_on)

    award, created = services.entitlement_from_certificate(certificate_id=cert.pk)

    assert created
    assert (award.program.first_year, award.program.kind) == (
        first_year, ProgramKind.PROVINCIAL_CERTIFICATE
    )


def test_no_award_before_the_first_program_or_when_none_is_valid():
    before = CertificateFactory(issued_on=datetime.date(2017, 12, 31))
    Program.objects.filter(first_year=2021).update(is_active=False)
    after = CertificateFactory(issued_on=datetime.date(2021, 1, 1),
                               level=CertificateLevel.NATIONAL)

    assert services.entitlement_from_certificate(certificate_id=before.pk) == (None, False)
    assert services.entitlement_from_certificate(certificate_id=after.pk) == (None, False)
    assert not Entitlement.objects.exists()


def test_the_city_reward_of_2020_is_paid_under_the_plans_program_and_2021_under_the_next(
    finance,
):
    Program.objects.filter(kind=ProgramKind.CITY_SCALE_UP, first_year=2021).update(
        amount=Decimal("400000")
    )
    firm = EnterpriseFactory(region=region("620102"), founded_on=datetime.date(2010, 1, 1))
    verified_annual(firm, 2019, 1500)
    verified_annual(firm, 2020, 2500)
    other = EnterpriseFactory(region=region("620102"), founded_on=datetime.date(2010, 1, 1))
    verified_annual(other, 2020, 1500)
    verified_annual(other, 2021, 2500)

    rewards = [services.city_reward_compute(actor=finance, city=region("620100"), year=year)
               for year in (2020, 2021)]

    assert [(r.entitlement.program.first_year, r.entitlement.amount) for r in rewards] == [
        (2018, Decimal("300000.00")), (2021, Decimal("400000.00"))
    ]


def test_a_city_year_without_a_valid_program_is_refused(finance):
    with pytest.raises(DomainError) as refused:
        services.city_reward_compute(actor=finance, city=region("620100"), year=2017)

    assert refused.value.code == "program_not_running"


def test_two_rows_of_one_kind_may_not_cover_the_same_year():
    plan = Program.objects.get(kind=ProgramKind.CITY_SCALE_UP, first_year=2018)
    overlapping = Program(
        code="city-scale-up-2020", name="重叠", kind=plan.kind, payee=plan.payee,
        amount=plan.amount, legal_basis=plan.legal_basis, first_year=2020, last_year=2020,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
