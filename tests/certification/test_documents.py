"""The documents officials file (issue 11 part 9): a city's 推荐汇总表 and the 厅's 认定名单,
each as a PDF and a workbook carrying the right firms, the issuing body and the date, in
Chinese whatever the page's language, within the official's region."""

import datetime
import io
import re

import pgtrigger
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from certification.choices import ApplicationStatus as S
from certification.choices import CampaignKind, Verb
from certification.documents.render import document_pdf, document_xlsx
from certification.models import ApplicationTransition
from certification.services.applications import application_recommend, application_withdraw
from certification.services.documents import certified_list, recommendation_summary
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import ExportRecord
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

CAMPAIGN = "2026年省级专精特新中小企业认定第一批"
LANZHOU_FIRMS = ("兰州城关精密机械有限公司", "兰州七里河新材料有限公司")
OPINIONS = ("主导产品省内市场占有率第一，同意推荐。", "研发投入强度高，同意推荐。")
DATED = datetime.date(2026, 12, 7)


def pdf_text(content):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", "", text)


def cells(workbook_file):
    sheet = load_workbook(workbook_file).active
    return list(sheet.iter_rows(values_only=True))


def flat(rows):
    return [value for row in rows for value in row if value is not None]


@pytest.fixture
def campaign():
    return CampaignFactory(title=CAMPAIGN)


@pytest.fixture
def recommended(campaign, city_user, other_city_user):
    """Two 兰州 firms the city recommended with opinions; a 天水 firm its city recommended; a
    兰州 firm reviewed but not recommended and one recommended, then withdrawn."""
    firms = []
    for name, county, opinion in zip(LANZHOU_FIRMS, ("620102", "620103"), OPINIONS, strict=True):
        application = ApplicationFactory(
            campaign=campaign, status=S.COUNTY_REVIEWED,
            enterprise=EnterpriseFactory(name=name, region=region(county)),
        )
        application_recommend(actor=city_user, application=application, opinion=opinion)
        firms.append(application)
    tianshui = ApplicationFactory(
        campaign=campaign, status=S.COUNTY_REVIEWED,
        enterprise=EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502")),
    )
    application_recommend(actor=other_city_user, application=tianshui, opinion="同意推荐。")
    ApplicationFactory(
        campaign=campaign, status=S.COUNTY_REVIEWED,
        enterprise=EnterpriseFactory(name="兰州城关未推荐有限公司"),
    )
    withdrawn = ApplicationFactory(
        campaign=campaign, status=S.COUNTY_REVIEWED,
        enterprise=EnterpriseFactory(name="兰州城关已撤回有限公司"),
    )
    application_recommend(actor=city_user, application=withdrawn, opinion="同意推荐。")
    application_withdraw(actor=withdrawn.created_by, application=withdrawn, reason="企业撤回")
    return firms


# --- the city's 推荐汇总表 -----------------------------------------------------------------


def test_the_summary_lists_the_citys_standing_recommendations_with_their_opinions(
    city_user, campaign, recommended
):
    document = recommendation_summary(actor=city_user, campaign=campaign, dated=DATED)

    assert [row["name"] for row in document.rows] == list(LANZHOU_FIRMS)
    assert [row["opinion"] for row in document.rows] == list(OPINIONS)
    assert [row["county"] for row in document.rows] == ["城关区", "七里河区"]
    assert document.issuer == "兰州市工业和信息化局"
    assert document.title == f"{CAMPAIGN}推荐汇总表"


def test_the_summary_pdf_carries_the_firms_the_issuing_body_and_the_date(
    city_user, campaign, recommended
):
    text = pdf_text(document_pdf(
        recommendation_summary(actor=city_user, campaign=campaign, dated=DATED)
    ))

    for shown in (f"{CAMPAIGN}推荐汇总表", *LANZHOU_FIRMS, *OPINIONS, "推荐意见",
                  "兰州市工业和信息化局", "2026年12月7日", recommended[0].enterprise.uscc):
        assert shown in text
    assert "天水秦州电子科技有限公司" not in text
    assert "已撤回" not in text and "未推荐" not in text


def test_the_summary_workbook_carries_the_firms_the_issuing_body_and_the_date(
    city_user, campaign, recommended
):
    workbook, count = document_xlsx(
        recommendation_summary(actor=city_user, campaign=campaign, dated=DATED)
    )
    rows = cells(workbook)

    assert count == 2
    assert rows[0][0] == f"{CAMPAIGN}推荐汇总表"
    assert "推荐单位（盖章）：兰州市工业和信息化局" in flat(rows)
    header = rows.index(next(row for row in rows if row[0] == "序号"))
    assert rows[header][:3] == ("序号", "企业名称", "统一社会信用代码")
    body = rows[header + 1: header + 3]
    assert [row[1] for row in body] == list(LANZHOU_FIRMS)
    assert [row[2] for row in body] == [a.enterprise.uscc for a in recommended]
    assert [row[7] for row in body] == list(OPINIONS)
    values = flat(rows)
    assert "兰州市工业和信息化局" in values and "2026年12月7日" in values
    assert "天水秦州电子科技有限公司" not in values


def test_a_city_draws_up_only_its_own_summary(other_city_user, campaign, recommended):
    with pytest.raises(OutOfScope):
        recommendation_summary(actor=other_city_user, campaign=campaign, region=region("620100"))

    own = recommendation_summary(actor=other_city_user, campaign=campaign)
    assert [row["name"] for row in own.rows] == ["天水秦州电子科技有限公司"]
    assert own.issuer == "天水市工业和信息化局"


def test_the_province_chooses_the_city_and_a_county_may_not(
    province_user, county_user, campaign, recommended
):
    document = recommendation_summary(
        actor=province_user, campaign=campaign, region=region("620100")
    )

    assert [row["name"] for row in document.rows] == list(LANZHOU_FIRMS)
    with pytest.raises(PermissionDenied):
        recommendation_summary(actor=county_user, campaign=campaign)
    with pytest.raises(DomainError) as refused:
        recommendation_summary(actor=province_user, campaign=campaign)
    assert refused.value.code == "region_required"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_summary_page_previews_and_downloads_in_chinese(
    client, city_user, campaign, recommended, language
):
    client.force_login(city_user)
    url = reverse("certification:recommendation-summary")

    page = client.get(url, {"campaign": campaign.pk}, HTTP_ACCEPT_LANGUAGE=language)
    pdf = client.get(url, {"campaign": campaign.pk, "format": "pdf"})
    xlsx = client.get(url, {"campaign": campaign.pk, "format": "xlsx"})

    assert page.status_code == 200
    html = page.content.decode()
    for shown in (*LANZHOU_FIRMS, *OPINIONS, "推荐意见", "兰州市工业和信息化局"):
        assert shown in html
    assert pdf["Content-Type"] == "application/pdf"
    assert "兰州城关精密机械有限公司" in pdf_text(pdf.content)
    assert LANZHOU_FIRMS[1] in flat(cells(io.BytesIO(xlsx.content)))
    assert list(ExportRecord.objects.values_list("listing", "filters__format")) == [
        ("recommendation_summary", "xlsx"), ("recommendation_summary", "pdf")
    ]


def test_the_summary_page_is_for_cities_and_the_province(client, county_user, expert_user):
    for user in (county_user, expert_user):
        client.force_login(user)
        assert client.get(reverse("certification:recommendation-summary")).status_code == 403


# --- the 厅's 认定名单 ----------------------------------------------------------------------


@pytest.fixture
def certified(campaign, province_user):
    """Two firms certified on 2026-10-20 and one on 2026-11-03, each with its certificate; a
    firm of the campaign still in notice."""
    rows = []
    for name, county, day in (
        ("兰州城关精密机械有限公司", "620102", datetime.date(2026, 10, 20)),
        ("天水秦州电子科技有限公司", "620502", datetime.date(2026, 10, 20)),
        ("兰州七里河新材料有限公司", "620103", datetime.date(2026, 11, 3)),
    ):
        application = ApplicationFactory(
            campaign=campaign, status=S.CERTIFIED,
            enterprise=EnterpriseFactory(name=name, region=region(county)),
        )
        certificate = CertificateFactory(
            application=application, enterprise=application.enterprise, issued_on=day
        )
        transition = ApplicationTransition.objects.create(
            application=application, verb=Verb.CERTIFY, from_status=S.PUBLIC_NOTICE,
            to_status=S.CERTIFIED,
        )
        at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        # Steps are append-only; a test backdates one with the guard lifted.
        with pgtrigger.ignore("certification.ApplicationTransition:append_only"):
            ApplicationTransition.objects.filter(pk=transition.pk).update(at=at)
        rows.append((application, certificate))
    ApplicationFactory(campaign=campaign, status=S.PUBLIC_NOTICE)
    return rows


def test_the_certified_list_names_the_firms_of_a_decision_date(
    province_user, campaign, certified
):
    everyone = certified_list(actor=province_user, campaign=campaign)
    first = certified_list(
        actor=province_user, campaign=campaign, certified_on=datetime.date(2026, 10, 20)
    )

    assert [row["name"] for row in everyone.rows] == [
        "兰州城关精密机械有限公司", "兰州七里河新材料有限公司", "天水秦州电子科技有限公司"
    ]
    assert [row["name"] for row in first.rows] == [
        "兰州城关精密机械有限公司", "天水秦州电子科技有限公司"
    ]
    assert [row["number"] for row in first.rows] == [certified[0][1].number, certified[1][1].number]
    assert (first.issuer, first.dated) == ("甘肃省工业和信息化厅", datetime.date(2026, 10, 20))
    assert everyone.dated == datetime.date(2026, 11, 3)
    assert first.title == "2026年甘肃省专精特新中小企业认定名单"


def test_the_certified_list_pdf_carries_the_firms_the_issuing_body_and_the_date(
    province_user, campaign, certified
):
    text = pdf_text(document_pdf(certified_list(
        actor=province_user, campaign=campaign, certified_on=datetime.date(2026, 10, 20)
    )))

    for shown in ("2026年甘肃省专精特新中小企业认定名单", "兰州城关精密机械有限公司",
                  "天水秦州电子科技有限公司", certified[0][1].number, certified[1][1].number,
                  "甘肃省工业和信息化厅", "2026年10月20日", "证书编号"):
        assert shown in text
    assert "兰州七里河新材料有限公司" not in text


def test_the_certified_list_workbook_carries_the_firms_the_issuing_body_and_the_date(
    province_user, campaign, certified
):
    workbook, count = document_xlsx(certified_list(
        actor=province_user, campaign=campaign, certified_on=datetime.date(2026, 11, 3)
    ))
    rows = cells(workbook)

    assert count == 1
    assert rows[0][0] == "2026年甘肃省专精特新中小企业认定名单"
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    firm = rows[header + 1]
    assert firm[:5] == (1, "兰州七里河新材料有限公司", certified[2][0].enterprise.uscc, "兰州市",
                        "七里河区")
    assert firm[7] == certified[2][1].number
    values = flat(rows)
    assert "甘肃省工业和信息化厅" in values and "2026年11月3日" in values


def test_a_little_giant_campaign_has_no_certified_list(province_user):
    campaign = CampaignFactory(kind=CampaignKind.LITTLE_GIANT)

    with pytest.raises(DomainError) as refused:
        certified_list(actor=province_user, campaign=campaign)

    assert refused.value.code == "campaign_does_not_certify"


def test_the_certified_list_page_is_the_provinces(
    client, province_user, auditor_user, city_user, campaign, certified
):
    url = reverse("certification:certified-list")
    client.force_login(province_user)
    page = client.get(url, {"campaign": campaign.pk, "date": "2026-10-20"})
    xlsx = client.get(url, {"campaign": campaign.pk, "date": "2026-10-20", "format": "xlsx"})
    client.force_login(auditor_user)
    audited = client.get(url, {"campaign": campaign.pk, "format": "pdf"})
    client.force_login(city_user)
    refused = client.get(url, {"campaign": campaign.pk})

    assert page.status_code == 200
    assert "天水秦州电子科技有限公司" in page.content.decode()
    assert "兰州七里河新材料有限公司" not in page.content.decode()
    assert "天水秦州电子科技有限公司" in flat(cells(io.BytesIO(xlsx.content)))
    assert audited["Content-Type"] == "application/pdf"
    assert refused.status_code == 403
