"""National 小巨人 recommendations: the export in the national list's format and the outcome."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateLevel,
    RecommendationOutcome,
)
from certification.models import Certificate, NationalRecommendation
from certification.services.recommendations import (
    EXPORT_COLUMNS,
    national_recommendation_record_outcome,
    national_recommendations_export,
)
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from registry.choices import PoolEntryStatus
from registry.models import ExportRecord
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.pool import PoolEntryFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region

HEADERS = [
    "序号", "省份", "企业名称", "统一社会信用代码", "所属地区", "所属行业", "主导产品", "细分市场",
    "省级专精特新认定时间/证书编号", "营业收入(万元)", "研发费用(万元)", "推荐排序",
]


def recommend(campaign, enterprise, score, user):
    application = ApplicationFactory(
        campaign=campaign, enterprise=enterprise, status=ApplicationStatus.RECOMMENDED,
        decision_score=Decimal(score),
    )
    return NationalRecommendation.objects.create(
        application=application, enterprise=enterprise, year=campaign.year, recommended_by=user
    )


@pytest.fixture
def campaign(db):
    return CampaignFactory(kind=CampaignKind.LITTLE_GIANT)


def test_the_export_has_the_national_columns_in_ranking_order(campaign, province_user):
    second = EnterpriseFactory(name="=HYPERLINK(\"x\")科技有限公司", region=region("620502"))
    first = EnterpriseFactory(name="兰州精密轴承有限公司")
    recommend(campaign, second, "81.0", province_user)
    recommend(campaign, first, "92.5", province_user)
    CertificateFactory(enterprise=first, issued_on=datetime.date(2024, 4, 21))
    report = verified_annual(first, 2025, 12000)
    report.rd_expense = Decimal("860.50")
    report.save()

    workbook, name, count = national_recommendations_export(actor=province_user, campaign=campaign)

    sheet = load_workbook(workbook).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [c.header for c in EXPORT_COLUMNS] == HEADERS
    assert rows[0] == HEADERS
    assert count == 2 and "小巨人" in name
    top = rows[1]
    assert top[:5] == [1, "甘肃省", "兰州精密轴承有限公司", first.uscc, "兰州市城关区"]
    assert top[8].startswith("2024-04-21/GS-ZJTX-2024-")
    assert (top[9], top[10], top[11]) == (12000, 860.5, 1)
    assert rows[2][0] == 2 and rows[2][11] == 2
    # A name a spreadsheet would run as a formula is written as text, escaped.
    assert rows[2][2] == "'=HYPERLINK(\"x\")科技有限公司"
    assert rows[2][4] == "天水市秦州区"
    record = ExportRecord.objects.get()
    assert (record.user, record.listing, record.row_count) == (
        province_user, "national_recommendations", 2
    )


def test_only_provincial_reviewers_export(campaign, city_user):
    with pytest.raises(PermissionDenied):
        national_recommendations_export(actor=city_user, campaign=campaign)


def test_a_national_approval_issues_a_national_certificate(
    campaign, province_user, django_capture_on_commit_callbacks
):
    firm = EnterpriseFactory()
    entry = PoolEntryFactory(enterprise=firm)
    recommendation = recommend(campaign, firm, "90", province_user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recorded = national_recommendation_record_outcome(
            actor=province_user, recommendation=recommendation, approved=True,
            document="工信部企业函〔2026〕150号",
        )

    assert recorded.outcome == RecommendationOutcome.APPROVED
    assert recorded.outcome_recorded_by == province_user
    certificate = recorded.certificate
    assert certificate.level == CertificateLevel.NATIONAL
    assert certificate.number == f"GS-XJR-{timezone.localdate().year}-0001"
    assert certificate.national_document == "工信部企业函〔2026〕150号"
    assert certificate.application is None
    assert len(callbacks) == 1  # certificate_issued
    entry.refresh_from_db()
    assert entry.status == PoolEntryStatus.GRADUATED


def test_a_national_rejection_issues_nothing_and_cannot_be_changed(campaign, province_user):
    recommendation = recommend(campaign, EnterpriseFactory(), "70", province_user)

    national_recommendation_record_outcome(
        actor=province_user, recommendation=recommendation, approved=False, document="公告2026-9"
    )
    with pytest.raises(InvalidTransition):
        national_recommendation_record_outcome(
            actor=province_user, recommendation=recommendation, approved=True, document="x"
        )

    recommendation.refresh_from_db()
    assert recommendation.outcome == RecommendationOutcome.REJECTED
    assert not Certificate.objects.exists()


def test_an_outcome_needs_the_document_number(campaign, province_user):
    recommendation = recommend(campaign, EnterpriseFactory(), "70", province_user)

    with pytest.raises(DomainError) as refused:
        national_recommendation_record_outcome(
            actor=province_user, recommendation=recommendation, approved=True, document=" "
        )

    assert "document" in refused.value.fields
