"""Financing rows made through the services, as an official would make them."""

from decimal import Decimal

from financing import services
from financing.choices import InstitutionKind, NeedKind, Urgency
from financing.models import FinancialInstitution
from tests.factories.registry import region


def institution(name="中国工商银行", branch="甘肃省分行", code="620000", staff=()):
    row = FinancialInstitution.objects.create(
        name=name, branch=branch, kind=InstitutionKind.BANK, region=region(code),
        contact_name="孙立", contact_phone="0931-8888001",
    )
    row.staff.add(*staff)
    return row


def need(actor, enterprise, **fields):
    values = {
        "kind": NeedKind.LOAN, "amount": Decimal("500"), "term_months": 24,
        "purpose": "购置设备", "collateral": "厂房", "urgency": Urgency.NORMAL,
        "agreed_to_share": True,
    }
    values.update(fields)
    return services.need_file(actor=actor, enterprise=enterprise, **values)
