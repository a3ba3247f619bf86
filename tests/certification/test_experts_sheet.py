"""The expert's score sheet as a document: every criterion in the page language with its tiers,
the figures used with labels and units, the verdict in words, and beside each manual item what
the county declared with its evidence files; in Chinese and in English."""

import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from certification.choices import ApplicationStatus, AssignmentStatus, AttachmentKind
from certification.models import RuleSet
from certification.rubric.sheet import score_sheet
from certification.services.evaluations import evaluation_run
from certification.services.experts import assignment_declare, experts_draw
from tests.factories.applications import ApplicationFactory, AttachmentFactory, CampaignFactory
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.experts import ExpertFactory

pytestmark = pytest.mark.django_db

GANSU = "gansu-2026-zjtx"
EXPERT_ITEMS = ["I4", "I5", "I6", "I9.1", "I9.2", "I9.3", "I10", "I13"]
DECLARED = {
    "I4": {"points": 3, "evidence": "列入省重点产业链配套企业名单"},
    "I5": {"value": 2, "evidence": "数字化水平评测报告（二级）"},
    "I6": {"value": 2, "evidence": "ISO 9001 证书；自主商标注册证"},
    "I9.1": {"points": 6, "evidence": "主导产品为兰州市重点发展的装备制造"},
    "I9.2": {"points": 3, "evidence": "原料为陇南特色矿产"},
    "I9.3": {"points": 4, "evidence": "独特破碎工艺发明专利"},
    "I10": {"points": 6, "evidence": "发明专利证书 ZL2021…"},
    "I13": {"points": 8, "evidence": "省级企业技术中心认定文件"},
    "D1": {"met": False, "evidence": "无科技奖励"},
    "D4": {"met": False, "evidence": "未参赛"},
    "V4": {"met": False, "evidence": "信用中国查询截图"},
    "V5": {"met": False, "evidence": "税务部门无违法记录证明"},
}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


class _Visible(HTMLParser):
    """The visible text of the score-sheet article (no tags, scripts or attribute values)."""

    def __init__(self, root):
        super().__init__()
        self.depth, self.parts, self.hidden = 0 if root else 1, [], 0
        self.root = root

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == self.root:
            self.depth += tag not in ("input", "br", "col", "meta", "link")
        if tag in ("script", "style", "textarea"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.hidden -= 1
        if self.depth and tag not in ("input", "br", "col"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.parts.append(data)


def visible(html, root="score-sheet"):
    """The visible text inside the element of id ``root`` (all of it when root is None)."""
    parser = _Visible(root)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def three_years(enterprise, actor):
    for year, revenue, rd in ((2023, "7200", "450"), (2024, "8000", "500"), (2025, "9000", "412")):
        VerifiedAnnualReportFactory(
            enterprise=enterprise, created_by=actor, year=year,
            main_business_revenue=D(revenue), rd_expense=D(rd),
        )


@pytest.fixture
def gansu():
    return RuleSet.objects.get(code=GANSU)


@pytest.fixture
def sheet(province_user, county_user, enterprise, gansu):
    """A declared sheet of an application filed under the Gansu rule set, with evidence."""
    three_years(enterprise, county_user)
    campaign = CampaignFactory(ruleset=gansu)
    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=gansu, manual_inputs=DECLARED,
        year=2025,
        declared_figures={"niche_market_since": {"value": "2012-05-18",
                                                 "evidence": "首份细分市场产品销售合同"}},
    )
    application = ApplicationFactory(
        campaign=campaign, enterprise=enterprise, status=ApplicationStatus.PROVINCE_ACCEPTED,
        manual_inputs=DECLARED, evaluation=evaluation,
    )
    AttachmentFactory(application=application)
    AttachmentFactory(
        application=application, kind=AttachmentKind.IP, original_name="发明专利证书.pdf",
        sha256="1" * 64,
    )
    for _ in range(4):
        ExpertFactory()
    draw = experts_draw(actor=province_user, application=application, seed="s")
    sheet = draw.assignments.order_by("id").first()
    return assignment_declare(actor=sheet.expert.user, assignment=sheet, no_conflict=True)


def page(client, sheet, language):
    client.force_login(sheet.expert.user)
    response = client.get(
        reverse("certification:assignment-detail", args=[sheet.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return response


def row_html(html, code):
    """The HTML of one criterion's row."""
    match = re.search(rf'<tr class="criterion[^"]*" data-item="{re.escape(code)}">(.*?)</tr>',
                      html, re.S)
    assert match, code
    return match.group(1)


def row(html, code):
    """The visible text of one criterion's row."""
    return visible(row_html(html, code), root=None)


# --- the rule set ---------------------------------------------------------------------------


def test_the_gansu_version_splits_the_local_indicator_into_three_worth_fifteen(gansu):
    items = {item.code: item for item in gansu.items.all()}

    local = [items[code] for code in ("I9.1", "I9.2", "I9.3")]
    assert "I9" not in items
    assert sum(item.max_points for item in local) == 15
    assert {item.group for item in local} == {"特色化"}
    for item in local:
        item.full_clean()
        assert item.bands and all(band["label"] and band["label_en"] for band in item.bands)
    assert "特色资源" in items["I9.2"].title and "独特工艺" in items["I9.3"].title
    assert "装备制造" in items["I9.1"].description and "甘工信发〔2018〕551号" in gansu.legal_basis
    assert sum(i.max_points for i in items.values() if i.max_points) == 100
    for code in ("I4", "I10", "I13"):
        assert len(items[code].bands) >= 3
        assert all(band["label_en"] for band in items[code].bands)


def test_campaigns_opened_on_the_2022_version_keep_it(gansu):
    national = RuleSet.objects.get(code="miit-2022-zjtx")
    campaign = CampaignFactory()

    assert campaign.ruleset == national and national.is_active
    assert gansu.is_active and gansu.effective_from > national.effective_from


# --- the page in Chinese -------------------------------------------------------------------


def test_the_chinese_sheet_reads_as_a_document(client, sheet):
    html = page(client, sheet, "zh-hans").content.decode()
    text = visible(html)

    # Every criterion's Chinese title, none of the English ones.
    for item in sheet.application.campaign.ruleset.items.all():
        assert item.title in text
        assert item.title_en not in text
    assert "专精特新中小企业认定标准（甘肃省2026年版）" in text
    # Tiers with their points: an automatic one written out, a manual one from the rules.
    i7 = row(html, "I7")
    assert "10.0%及以上" in i7 and "10 分" in i7
    assert "属于企业所在地区的重点发展产业" in row(html, "I9.1")
    for code in ("I4", "I10", "I13"):
        assert row(html, code).count(" 分") >= 3
    # Figures with labels, units and percentages with one decimal, no raw names.
    i11 = row(html, "I11")
    assert "研发费用" in i11 and "万元" in i11 and re.search(r"\d\.\d%", i11)
    assert not RAW_KEY.findall(text)
    assert not re.search(r"0\.\d{4,}", text)
    # Verdicts in words.
    assert "符合" in row(html, "C1") and "计分" in i7
    for word in ("pass", "fail", "unknown", "scored"):
        assert not re.search(rf"\b{word}\b", text)


def test_each_manual_item_shows_the_declaration_and_evidence_files_beside_the_score(
    client, sheet
):
    html = page(client, sheet, "zh-hans").content.decode()
    attachments = list(sheet.application.attachments.all())

    for code in EXPERT_ITEMS:
        cells = row_html(html, code)
        assert DECLARED[code]["evidence"] in cells
        assert f'name="{code}.points"' in cells
        for attachment in attachments:
            url = reverse(
                "certification:attachment-download", args=[sheet.application_id, attachment.pk]
            )
            assert url in cells
    # The declared tier is marked.
    assert re.search(r'class="marked"><span class="tier-label">省级', row_html(html, "I13"))


def test_the_sheet_totals_name_the_items_the_expert_scores(client, sheet):
    text = visible(page(client, sheet, "zh-hans").content.decode())

    assert ", ".join(EXPERT_ITEMS) in text
    assert "至多 50 分" in text


# --- the page in English -------------------------------------------------------------------


def test_the_english_sheet_has_no_chinese_outside_the_data(client, sheet):
    html = page(client, sheet, "en").content.decode()
    text = visible(html)
    application, enterprise = sheet.application, sheet.application.enterprise
    data = [
        enterprise.name, enterprise.main_products, enterprise.niche_market,
        enterprise.industry.name, enterprise.region.name, enterprise.region.parent.name,
        application.campaign.title, application.campaign.ruleset.legal_basis,
        *(entry["evidence"] for entry in DECLARED.values()),
        *(entry["evidence"] for entry in application.evaluation.declared_figures.values()),
        *(attachment.original_name for attachment in application.attachments.all()),
    ]
    for value in sorted(filter(None, data), key=len, reverse=True):
        text = text.replace(value, "")

    assert not CJK.findall(text), CJK.findall(text)
    assert "Prior-year net profit margin" in text
    assert "Uses local resources and carries on traditional crafts or regional culture" in text
    assert "Met" in row(html, "C1") and "Scored" in row(html, "I7")
    assert "10.0% or more" in row(html, "I7")
    assert not RAW_KEY.findall(text)


def test_a_submitted_sheet_shows_the_experts_points_beside_each_item(client, sheet):
    from certification.services.experts import assignment_score_save, assignment_submit

    user = sheet.expert.user
    assignment_score_save(
        actor=user, assignment=sheet,
        scores={code: {"points": "2", "evidence": f"依据{code}"} for code in EXPERT_ITEMS},
    )
    sheet = assignment_submit(actor=user, assignment=sheet)
    assert sheet.status == AssignmentStatus.SUBMITTED

    html = page(client, sheet, "zh-hans").content.decode()
    cells = row_html(html, "I9.2")
    assert "依据I9.2" in cells and 'class="awarded">2.0<' in cells
    assert f'id="sheet-total">{sheet.total}<' in html


# --- the builder without a page -------------------------------------------------------------


def test_an_application_without_an_evaluation_still_lists_every_criterion(gansu):
    items = list(gansu.items.all())
    with translation.override("zh-hans"):
        document = score_sheet(items=items, results=[], declared={}, declared_figures={},
                               attachments=[], pass_mark=gansu.pass_mark)

    rows = document.conditions + document.routes + document.vetoes + [
        row for group in document.groups for row in group.rows
    ]
    assert len(rows) == len(items)
    assert {row.verdict_text for row in rows} == {"待核实"}
    assert [group.title for group in document.groups] == ["专业化", "精细化", "特色化", "创新能力"]
    assert [group.max_points for group in document.groups] == ["25", "25", "15", "35"]
    assert document.expert_codes == EXPERT_ITEMS
