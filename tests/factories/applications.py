"""Builders for workflow tests: campaigns and applications placed directly in a status."""

import datetime
import hashlib
import io
import zipfile

import factory
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from certification.choices import (
    CAMPAIGN_RULESET_KIND,
    ApplicationStatus,
    AttachmentKind,
    CampaignKind,
    FilingLevel,
    Outcome,
)
from certification.models import (
    Application,
    Attachment,
    Campaign,
    CampaignQuota,
    Evaluation,
    NationalRecommendation,
)
from certification.selectors import ruleset_current
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region


class CampaignFactory(factory.django.DjangoModelFactory):
    """A provincial campaign of 2026 on the seeded 专精特新 rules, its deadlines far ahead."""

    class Meta:
        model = Campaign

    year = 2026
    kind = CampaignKind.PROVINCIAL
    title = factory.Sequence(lambda n: f"2026年省级专精特新中小企业认定第{n + 1}批")
    ruleset = factory.LazyAttribute(
        lambda o: ruleset_current(CAMPAIGN_RULESET_KIND[o.kind], on=datetime.date(2026, 1, 1))
    )
    opens_on = datetime.date(2026, 3, 2)
    closes_on = datetime.date(2026, 12, 31)
    county_review_days = 10
    city_recommendation_days = 10
    province_decision_days = 20
    county_review_due = datetime.date(2027, 1, 15)
    city_recommendation_due = datetime.date(2027, 1, 29)
    province_decision_due = datetime.date(2027, 2, 26)
    created_by = factory.LazyFunction(
        lambda: UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))
    )


class CampaignQuotaFactory(factory.django.DjangoModelFactory):
    """兰州's quota of a campaign: 8 firms."""

    class Meta:
        model = CampaignQuota

    campaign = factory.SubFactory(CampaignFactory)
    region = factory.LazyFunction(lambda: region("620100"))
    quota = 8


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A county-filed application; pass ``status`` to place it anywhere in the workflow.

    Placed directly, it has no transition rows: tests of the transitions themselves start from
    DRAFT or go through the services.
    """

    class Meta:
        model = Application

    campaign = factory.SubFactory(CampaignFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    filing_level = FilingLevel.COUNTY
    created_by = factory.LazyAttribute(
        lambda o: UserFactory(role=Role.COUNTY_STAFF, region=o.enterprise.region)
    )


def open_campaign(**fields):
    """A 2026 campaign whose filing window contains today, whatever day the tests run."""
    today = timezone.localdate()
    dates = {
        "opens_on": today - datetime.timedelta(days=30),
        "closes_on": today + datetime.timedelta(days=30),
        "county_review_due": today + datetime.timedelta(days=45),
        "city_recommendation_due": today + datetime.timedelta(days=60),
        "province_decision_due": today + datetime.timedelta(days=90),
    }
    return CampaignFactory(**{**dates, **fields})


# The smallest files each accepted kind starts with; enough for the content checks.
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name="申报书.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def xlsx_bytes(*, macros=False):
    """A real workbook written by openpyxl; with ``macros`` a vbaProject.bin is added."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "营业收入"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not macros:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


class AttachmentFactory(factory.django.DjangoModelFactory):
    """The signed paper application of an application, as a small PDF."""

    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    kind = AttachmentKind.PAPER_APPLICATION
    file = factory.django.FileField(filename="申报书.pdf", data=PDF_BYTES)
    original_name = "申报书.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    uploaded_by = factory.LazyAttribute(lambda o: o.application.created_by)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A stored evaluation of a 城关区 firm against the current 专精特新 rules, incomplete."""

    class Meta:
        model = Evaluation

    enterprise = factory.SubFactory(EnterpriseFactory)
    ruleset = factory.LazyFunction(
        lambda: ruleset_current(
            CAMPAIGN_RULESET_KIND[CampaignKind.PROVINCIAL], on=datetime.date(2026, 1, 1)
        )
    )
    ruleset_code = factory.LazyAttribute(lambda o: o.ruleset.code)
    figures_year = 2025
    outcome = Outcome.INCOMPLETE
    total_points = 0


class NationalRecommendationFactory(factory.django.DjangoModelFactory):
    """The province's recommendation of a firm's 小巨人 application to MIIT."""

    class Meta:
        model = NationalRecommendation

    application = factory.SubFactory(
        ApplicationFactory,
        campaign=factory.SubFactory(CampaignFactory, kind=CampaignKind.LITTLE_GIANT),
        status=ApplicationStatus.RECOMMENDED,
    )
    enterprise = factory.LazyAttribute(lambda o: o.application.enterprise)
    year = 2026
    recommended_by = factory.LazyAttribute(lambda o: o.application.campaign.created_by)
