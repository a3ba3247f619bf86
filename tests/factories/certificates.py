"""Builders for notices, objections and certificates, written directly (not through services)."""

import datetime

import factory

from accounts.choices import Role
from certification.choices import ApplicationStatus, CertificateLevel, NoticeStatus
from certification.models import Certificate, Notice, Objection
from certification.services.certificates import format_number, term_end
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.registry import EnterpriseFactory, region


def province_reviewer():
    return UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))


class NoticeFactory(factory.django.DjangoModelFactory):
    """An open notice of a provincial campaign, 5 working days from 2026-10-12."""

    class Meta:
        model = Notice

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"2026年省级专精特新中小企业拟认定名单公示（第{n + 1}批）")
    issuer = "甘肃省工业和信息化厅"
    contact_person = "李明"
    telephone = "0931-8468123"
    published_on = datetime.date(2026, 10, 12)
    starts_on = datetime.date(2026, 10, 12)
    ends_on = datetime.date(2026, 10, 16)
    status = NoticeStatus.OPEN
    published_by = factory.LazyFunction(province_reviewer)


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    application = factory.SubFactory(
        ApplicationFactory,
        status=ApplicationStatus.PUBLIC_NOTICE,
        notice=factory.SubFactory(NoticeFactory, campaign=factory.SelfAttribute("..campaign")),
    )
    notice = factory.LazyAttribute(lambda o: o.application.notice)
    name = "王敏"
    contact = "13800000000"
    text = "该企业研发费用与实际不符。"


class CertificateFactory(factory.django.DjangoModelFactory):
    """An active provincial certificate issued 2026-10-20, numbered from 9000 up."""

    class Meta:
        model = Certificate

    enterprise = factory.SubFactory(EnterpriseFactory)
    level = CertificateLevel.PROVINCIAL
    issued_on = datetime.date(2026, 10, 20)
    year = factory.LazyAttribute(lambda o: o.issued_on.year)
    serial = factory.Sequence(lambda n: 9000 + n)
    number = factory.LazyAttribute(lambda o: format_number(o.level, o.year, o.serial))
    valid_until = factory.LazyAttribute(lambda o: term_end(o.issued_on))
    ruleset_code = "zjtx-2022"
