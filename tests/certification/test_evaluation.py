"""The evaluation service: facts from verified annual reports, scope, inputs, storage, history."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pghistory.models import Events

from certification.models import Evaluation, RuleSet
from certification.selectors import ruleset_current
from certification.services.evaluations import evaluation_run
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.choices import PeriodKind, ReportStatus
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.registry import EnterpriseFactory

pytestmark = pytest.mark.django_db

ENTERED = {
    "I4": {"points": 3, "evidence": "列入省重点产业链配套企业名单"},
    "I5": {"value": 2, "evidence": "数字化水平评测报告（二级）"},
    "I6": {"value": 2, "evidence": "ISO 9001 证书；自主商标注册证"},
    "I9": {"points": "10", "evidence": "甘肃特色指标评分表"},
    "I10": {"points": 6, "evidence": "发明专利证书 ZL2021…"},
    "I13": {"points": 8, "evidence": "省级企业技术中心认定文件"},
    "D1": {"met": False, "evidence": "无科技奖励"},
    "D4": {"met": False, "evidence": "未参赛"},
    "V4": {"met": False, "evidence": "信用中国查询截图"},
    "V5": {"met": False, "evidence": "税务部门无违法记录证明"},
}


# The niche-market start the enterprise declares, with evidence (here its founding date).
NICHE = {"niche_market_since": {"value": "2012-05-18", "evidence": "首份细分市场产品销售合同"}}


def three_years(enterprise, actor, last=2025):
    """Verified annual reports of ``last`` and the two years before it (a sound firm)."""
    return [
        VerifiedAnnualReportFactory(
            enterprise=enterprise, created_by=actor, year=last - 2,
            main_business_revenue=D("7200"),
        ),
        VerifiedAnnualReportFactory(
            enterprise=enterprise, created_by=actor, year=last - 1,
            main_business_revenue=D("8000"), rd_expense=D("500"),
        ),
        VerifiedAnnualReportFactory(enterprise=enterprise, created_by=actor, year=last),
    ]


@pytest.fixture
def zjtx():
    return RuleSet.objects.get(code="miit-2022-zjtx")


def test_an_evaluation_is_computed_from_verified_reports_and_stored(county_user, enterprise, zjtx):
    three_years(enterprise, county_user)

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=zjtx, manual_inputs=ENTERED, year=2025,
        declared_figures=NICHE,
    )

    evaluation.refresh_from_db()
    assert evaluation.outcome == "passed"
    assert evaluation.total_points == 79
    assert evaluation.ruleset_code == "miit-2022-zjtx"
    assert evaluation.figures_year == 2025
    assert evaluation.evaluated_by == county_user
    c2 = next(item for item in evaluation.results if item["code"] == "C2")
    assert c2["verdict"] == "pass"
    assert c2["figures"] == {
        "rd_expense": "650.00", "operating_revenue": "10000.00", "rd_expense_share": "0.065"
    }
    assert evaluation.summary["reasons"][-1]["zh"] == "全部条件均已满足，评价得分 79 分"
    assert evaluation.inputs["I9"] == {"evidence": "甘肃特色指标评分表", "points": "10"}
    assert evaluation.inputs["V4"] == {"evidence": "信用中国查询截图", "met": False}


def test_a_low_score_is_explained_with_the_pass_mark(county_user, enterprise, zjtx):
    three_years(enterprise, county_user)
    nothing = {code: {**entry, "points": 0} if "points" in entry else entry
               for code, entry in ENTERED.items()}
    nothing["I5"] = {"value": 1, "evidence": "评测报告（一级）"}
    nothing["I6"] = {"value": 0, "evidence": "无"}

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=zjtx, manual_inputs=nothing,
        declared_figures={**NICHE, "equity_financing_2y": {"value": 0, "evidence": "无新增融资"}},
        year=2025,
    )

    assert evaluation.outcome == "failed"
    assert evaluation.summary["reasons"] == [{
        "item": "C4",
        "zh": "C4「评价得分达到60分以上或满足下列直通条件之一」：不满足"
              "（评价得分 44 分，及格线 60 分）",
        "en": "C4 (Evaluation score at least 60, or one of the direct routes met): not met"
              " (score 44, pass mark 60)",
    }]


def test_reports_that_are_not_verified_or_not_annual_are_not_read(county_user, enterprise, zjtx):
    three_years(enterprise, county_user)
    # A correction still waiting for verification, and a verified quarterly report.
    VerifiedAnnualReportFactory(
        enterprise=enterprise, created_by=county_user, year=2025, revision=1,
        status=ReportStatus.SUBMITTED, rd_expense=D("50"),
    )
    VerifiedAnnualReportFactory(
        enterprise=enterprise, created_by=county_user, year=2025,
        period_kind=PeriodKind.QUARTER, period=4, rd_expense=D("10"),
    )

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=zjtx, manual_inputs=ENTERED, year=2025,
        declared_figures=NICHE,
    )

    assert evaluation.outcome == "passed"
    assert evaluation.results[1]["figures"]["rd_expense"] == "650.00"


def test_the_figures_default_to_the_last_calendar_year(county_user, enterprise, zjtx):
    last_year = timezone.localdate().year - 1
    three_years(enterprise, county_user, last=last_year)

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=zjtx, manual_inputs=ENTERED,
        declared_figures=NICHE,
    )

    assert evaluation.figures_year == last_year
    assert evaluation.outcome == "passed"


def test_a_pre_check_writes_nothing_and_lists_what_is_missing(county_user, enterprise, zjtx):
    VerifiedAnnualReportFactory(enterprise=enterprise, created_by=county_user, year=2025)

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=zjtx, year=2025, save=False
    )

    assert evaluation.pk is None
    assert not Evaluation.objects.exists()
    assert evaluation.outcome == "incomplete"
    missing = {entry["item"]: entry for entry in evaluation.summary["missing"]}
    assert missing["V1"]["figures"] == [
        {"figure": "safety_incidents", "year": 2024, "problem": "missing"},
        {"figure": "safety_incidents", "year": 2023, "problem": "missing"},
    ]
    assert missing["V4"]["needs_input"] is True
    # Only the figures year is known: C2 decides from it alone.
    assert evaluation.results[1]["verdict"] == "pass"


def test_declared_financing_is_used_and_kept_with_its_evidence(county_user, enterprise, zjtx):
    VerifiedAnnualReportFactory(
        enterprise=enterprise, created_by=county_user, year=2025, operating_revenue=D("800")
    )

    evaluation = evaluation_run(
        actor=county_user,
        enterprise=enterprise,
        ruleset=zjtx,
        year=2025,
        declared_figures={"equity_financing_2y": {"value": "2500", "evidence": "增资协议"}},
        save=False,
    )

    c3 = next(item for item in evaluation.results if item["code"] == "C3")
    assert c3["verdict"] == "pass"
    assert c3["figures"]["equity_financing_2y"] == "2500"
    assert evaluation.declared_figures == {
        "equity_financing_2y": {"evidence": "增资协议", "value": "2500"}
    }


def test_city_staff_evaluate_firms_of_their_counties(city_user, enterprise, zjtx):
    evaluation = evaluation_run(actor=city_user, enterprise=enterprise, ruleset=zjtx, year=2025)
    assert evaluation.pk is not None


def test_a_firm_outside_the_actors_region_is_not_found(other_county_user, enterprise, zjtx):
    with pytest.raises(OutOfScope):
        evaluation_run(actor=other_county_user, enterprise=enterprise, ruleset=zjtx, year=2025)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["expert_user", "api_user"])
def test_experts_and_api_clients_do_not_run_evaluations(request, who, enterprise, zjtx):
    with pytest.raises(PermissionDenied):
        evaluation_run(
            actor=request.getfixturevalue(who), enterprise=enterprise, ruleset=zjtx, save=False
        )


def test_inputs_that_do_not_fit_are_refused_with_every_error(county_user, enterprise, zjtx):
    with pytest.raises(DomainError) as caught:
        evaluation_run(
            actor=county_user,
            enterprise=enterprise,
            ruleset=zjtx,
            manual_inputs={"I7": {"points": 10, "evidence": "x"}, "I4": {"points": 4}},
            declared_figures={"loans": {"value": 1, "evidence": "x"}},
        )

    fields = caught.value.fields
    # One message per entry, each led by the key it concerns (the codes: test_rubric_rules).
    assert [m.split(": ")[0] for m in fields["manual_inputs"]] == ["I7", "I4"]
    assert [m.split(": ")[0] for m in fields["declared_figures"]] == ["loans"]
    assert not Evaluation.objects.exists()


def test_a_rule_set_no_longer_in_force_is_refused(county_user, enterprise, zjtx):
    zjtx.is_active = False
    zjtx.save()

    with pytest.raises(DomainError) as refused:
        evaluation_run(actor=county_user, enterprise=enterprise, ruleset=zjtx)

    assert refused.value.code == "ruleset_inactive"


def test_the_number_of_queries_does_not_grow_with_reports_or_items(county_user, enterprise):
    other = EnterpriseFactory()
    three_years(enterprise, county_user)
    VerifiedAnnualReportFactory(enterprise=other, created_by=county_user, year=2025)
    counts = []
    for firm, kind in ((enterprise, "zjtx"), (other, "innovative")):
        ruleset = ruleset_current(kind)
        with CaptureQueriesContext(connection) as queries:
            evaluation_run(actor=county_user, enterprise=firm, ruleset=ruleset, year=2025)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    # Scope check, reports, the provincial certificate, two checked constraints (three
    # statements each, savepoints included) and the insert with its history context, all
    # inside one savepoint pair.
    assert counts[0] == 12


def test_a_stored_evaluation_is_kept_in_the_history_with_its_actor(county_user, enterprise, zjtx):
    evaluation = evaluation_run(actor=county_user, enterprise=enterprise, ruleset=zjtx, year=2025)

    event = Events.objects.references(evaluation).get()
    assert event.pgh_label == "insert"
    assert event.pgh_context["user"] == county_user.pk


def test_evaluations_are_seen_by_whoever_sees_the_enterprise(
    county_user, city_user, other_city_user, enterprise, zjtx
):
    evaluation = evaluation_run(actor=county_user, enterprise=enterprise, ruleset=zjtx, year=2025)

    assert list(Evaluation.objects.visible_to(city_user)) == [evaluation]
    assert not Evaluation.objects.visible_to(other_city_user).exists()
