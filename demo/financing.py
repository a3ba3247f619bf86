"""Demo financing data: three institutions, needs of 兰州 firms in every state, one matching
event with outcomes, and a few firms on the credit-cultivation list with their star ratings.

Every step goes through the financing services as the demo officials would take it: 兰州's city
staff (``lanzhou``) file the needs, the province (``province``) runs the event and records what
the banks report. ``bank1`` works for the first institution and reads the needs firms agreed
to share. Firms holding a certificate come first, so the report's SRDI share has figures.
Runs once: with the demo event present nothing is written.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certification.models import Certificate
from demo.registry import HISTORY_REASON
from financing import services
from financing.choices import InstitutionKind, NeedKind, Urgency
from financing.models import FinancialInstitution, FinancingNeed, MatchingEvent
from registry.models import Enterprise, Region

EVENT_TITLE = "甘肃省“专精特新”中小企业银企对接会（演示）"
# name, branch, kind, region code, contact, phone
INSTITUTIONS = (
    ("中国工商银行", "甘肃省分行", InstitutionKind.BANK, "620000", "孙立", "0931-8888001"),
    ("甘肃银行", "兰州城关支行", InstitutionKind.BANK, "620100", "马静", "0931-8888002"),
    ("甘肃省融资担保集团", "本部", InstitutionKind.GUARANTOR, "620000", "王强", "0931-8888003"),
)
# kind, amount (万元), term, purpose, collateral, urgency, shared
NEEDS = (
    (NeedKind.LOAN, "800", 36, "新建数控加工生产线", "厂房及土地使用权", Urgency.URGENT, True),
    (NeedKind.RECEIVABLES, "300", 12, "补充流动资金", "对核心企业的应收账款", Urgency.CRITICAL,
     True),
    (NeedKind.LOAN, "500", 24, "研发中心设备购置", "", Urgency.NORMAL, True),
    (NeedKind.EQUITY, "2000", 60, "扩大产能、引进战略投资者", "", Urgency.NORMAL, True),
    (NeedKind.GUARANTEE, "200", 12, "原材料采购", "存货", Urgency.URGENT, False),
    (NeedKind.LOAN, "150", 12, "季节性收购资金", "", Urgency.NORMAL, True),
    (NeedKind.LOAN, "400", 36, "技术改造", "机器设备", Urgency.NORMAL, False),
)
CREDIT_BODY = "甘肃省中小企业信用评价中心"


@dataclass
class DemoFinancingResult:
    needs: int
    unchanged: bool


def _users():
    users = get_user_model().objects.in_bulk(["lanzhou", "province", "bank1"],
                                             field_name="username")
    return users["lanzhou"], users["province"], users.get("bank1")


def _institutions(bank_user):
    rows = []
    for name, branch, kind, code, contact, phone in INSTITUTIONS:
        row, _created = FinancialInstitution.objects.get_or_create(
            name=name, branch=branch,
            defaults={"kind": kind, "region": Region.objects.get(code=code),
                      "contact_name": contact, "contact_phone": phone},
        )
        rows.append(row)
    if bank_user is not None:
        rows[0].staff.add(bank_user)
    return rows


def _firms(count):
    certified = Certificate.objects.filter(enterprise=OuterRef("pk"))
    return list(
        Enterprise.objects.within("620000/620100")
        .filter(is_active=True)
        .annotate(certified=Exists(certified))
        .order_by("-certified", "uscc")[:count]
    )


@transaction.atomic
def demo_financing_load():
    """Load the demo financing data once (see the module's docstring)."""
    if MatchingEvent.objects.filter(title=EVENT_TITLE).exists():
        return DemoFinancingResult(needs=0, unchanged=True)
    city, province, bank_user = _users()
    today = timezone.localdate()
    with pghistory.context(reason=HISTORY_REASON):
        institutions = _institutions(bank_user)
        bank, local_bank, guarantor = institutions
        firms = _firms(len(NEEDS) + 3)
        needs = []
        for firm, (kind, amount, term, purpose, collateral, urgency, shared) in zip(
            firms, NEEDS, strict=False
        ):
            needs.append(services.need_file(
                actor=city, enterprise=firm, kind=kind, amount=Decimal(amount), term_months=term,
                purpose=purpose, collateral=collateral, urgency=urgency, agreed_to_share=shared,
            ))
        granted, refused, contacted, in_review, pending, filed, withdrawn = needs
        event = services.event_create(
            actor=province, title=EVENT_TITLE, held_on=today - datetime.timedelta(days=40),
            venue="兰州市 甘肃国际会展中心", institutions=institutions,
        )
        outcomes = services.event_put_needs(
            actor=province, event=event, needs=[granted, refused, contacted, in_review, pending],
        )
        o_granted, o_refused, o_contacted, o_review, _o_pending = outcomes
        services.outcome_contact(actor=province, outcome=o_granted, institution=bank)
        services.outcome_review(actor=province, outcome=o_granted)
        services.outcome_grant(
            actor=province, outcome=o_granted, institution=bank, granted_amount=Decimal("800"),
            rate=Decimal("3.45"), granted_on=today - datetime.timedelta(days=10),
            reason="首笔专精特新贷款",
        )
        services.outcome_contact(actor=province, outcome=o_refused, institution=local_bank)
        services.outcome_refuse(actor=province, outcome=o_refused,
                                reason="核心企业未确认应收账款，暂不符合授信条件。")
        services.need_close(actor=province, need=refused,
                            reason="对接银行均未获批，转入下期活动再议。")
        services.outcome_contact(actor=province, outcome=o_contacted, institution=guarantor)
        services.outcome_contact(actor=province, outcome=o_review, institution=bank)
        services.outcome_review(actor=province, outcome=o_review)
        services.need_withdraw(actor=city, need=withdrawn, reason="企业已通过自有资金解决。")
        for firm, stars in zip(firms[-3:], (5, 4, 3), strict=True):
            services.credit_admit(actor=province, enterprise=firm,
                                  admitted_on=today - datetime.timedelta(days=200))
            services.credit_rating_record(actor=province, enterprise=firm, year=today.year - 1,
                                          stars=stars, rating_body=CREDIT_BODY)
    return DemoFinancingResult(needs=FinancingNeed.objects.count(), unchanged=False)
