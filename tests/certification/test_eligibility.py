"""Eligibility as the rules state it: an SME under the size standard (from verified figures),
a valid provincial certificate for 小巨人 read from the registry, and years in the niche market
from a declared start date with evidence. Boundaries in the pure engine, then through the
evaluation service and the database's rule sets."""

import dataclasses
import datetime
import importlib
from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from certification import rubric
from certification.choices import CertificateStatus, RevocationReason
from certification.models import RuleSet
from certification.selectors import evaluation_facts
from certification.services.evaluations import evaluation_run
from tests.factories.certificates import CertificateFactory
from tests.factories.certification import VerifiedAnnualReportFactory, facts, seeded_rules

YEAR = 2025
eligibility = importlib.import_module(
    "certification.migrations.0012_sme_and_certificate_conditions"
)


def with_sme(rules):
    fields = {k: v for k, v in eligibility.SME_CONDITION.items()
              if k not in ("description", "description_en")}
    return dataclasses.replace(rules, items=(*rules.items, rubric.Item(**fields)))


def with_certificate(rules):
    return dataclasses.replace(rules, items=tuple(
        dataclasses.replace(item, mode="automatic", criteria=eligibility.CERTIFICATE["criteria"])
        if item.code == "C1" else item
        for item in rules.items
    ))


def c0(**options):
    return rubric.evaluate(with_sme(seeded_rules("zjtx")), facts(**options)).item("C0")


# --- an SME under the 2011 standard -----------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "revenue", "verdict"),
    [
        (1000, D("40000"), "fail"),  # industry: large from 1,000 staff AND 40,000 万元
        (999, D("40000"), "pass"),
        (1000, D("39999.99"), "pass"),
        (2000, D("50000"), "fail"),
        (150, D("10000"), "pass"),
    ],
)
def test_an_industrial_firm_is_an_sme_below_either_ceiling(employees, revenue, verdict):
    assert c0(employees=employees, operating_revenue=revenue).verdict == verdict


def test_a_missing_figure_or_an_unclassed_division_leaves_it_undecided():
    assert c0(employees=None).verdict == "unknown"
    railway = c0(industry_code="G53")
    assert railway.verdict == "unknown"
    assert railway.gaps[0]["problem"] == "not_classed"


def test_a_large_firm_with_65_points_fails_a_basic_condition_naming_its_figures():
    rules = with_sme(seeded_rules("zjtx"))
    entered = {"I4": 5, "I5": 5, "I6": 5, "I9": 15, "I10": 10, "I13": 10,
               "D1": False, "D4": False, "V4": False, "V5": False}
    large = facts(employees=2000, operating_revenue=D("50000"), total_assets=D("60000"),
                  main_business_revenue=D("45000"), rd_expense=D("2000"), inputs=entered)

    result = rubric.evaluate(rules, large)

    assert result.score["total_points"] >= 65
    assert result.item("C0").verdict == "fail"
    assert result.outcome == "failed"
    reason = next(r for r in result.summary_json()["reasons"] if r["item"] == "C0")
    assert "2,000" in reason["en"] and "50,000" in reason["en"]
    assert "Large" in reason["en"]
    assert "大型" in reason["zh"] and "2,000" in reason["zh"]


# --- 小巨人: a valid provincial certificate from the registry ---------------------------------


def test_the_little_giant_c1_reads_the_certificate_not_a_manual_entry():
    rules = with_certificate(seeded_rules("little_giant"))
    held = {"number": "甘专精特新〔2026〕9001号", "valid_until": datetime.date(2029, 10, 19)}

    without = rubric.evaluate(rules, facts(inputs={"C1": True})).item("C1")
    holding = rubric.evaluate(rules, facts(zjtx_certificate=held)).item("C1")

    assert without.verdict == "fail"
    assert holding.verdict == "pass"
    assert holding.figures["zjtx_certificate"] == held["number"]


def test_a_manual_yes_for_the_certificate_is_refused():
    rules = with_certificate(seeded_rules("little_giant"))

    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_inputs(rules, {"C1": {"met": True, "evidence": "认定文件"}})
    assert caught.value.codes == {"C1": "automatic_item"}


# --- years in the niche market from the declared start date -----------------------------------


@pytest.mark.parametrize(
    ("since", "verdict"),
    [
        (datetime.date(YEAR - 2, 12, 31), "pass"),  # 2 full years at 31 December 2025
        (datetime.date(YEAR - 1, 1, 1), "fail"),
        (None, "unknown"),  # not declared: the founding date does not stand in
    ],
)
def test_c1_counts_from_the_declared_niche_start_not_the_founding_date(since, verdict):
    result = rubric.evaluate(
        seeded_rules("zjtx"),
        facts(founded_on=datetime.date(2000, 1, 1), niche_since=since),
    ).item("C1")

    assert result.verdict == verdict
    if since is not None:
        assert result.figures["niche_market_since"] == since
        assert result.figures["niche_market_evidence"]


def test_a_niche_start_before_the_founding_date_is_not_counted():
    result = rubric.evaluate(
        seeded_rules("zjtx"),
        facts(founded_on=datetime.date(2015, 6, 1), niche_since=datetime.date(2010, 1, 1)),
    ).item("C1")

    assert result.verdict == "unknown"
    assert result.gaps == [{"figure": "niche_market_since", "year": None,
                            "problem": "before_founding"}]


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"value": "2023-02-30", "evidence": "合同"}, "not_a_date"),
        ({"value": "2023-02-28", "evidence": " "}, "evidence_required"),
    ],
)
def test_the_declared_start_date_needs_a_date_and_evidence(entry, code):
    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_declared({"niche_market_since": entry})
    assert caught.value.codes == {"niche_market_since": code}


def test_the_declared_start_date_is_kept_as_a_date():
    parsed = rubric.parse_declared(
        {"niche_market_since": {"value": "2023-02-28", "evidence": "首份合同"}}
    )
    assert parsed["niche_market_since"].value == datetime.date(2023, 2, 28)
    assert parsed["niche_market_since"].as_json() == {
        "evidence": "首份合同", "value": "2023-02-28"
    }


# --- through the service, with the database's rule sets --------------------------------------


@pytest.mark.django_db
def test_a_large_firm_fails_the_gansu_rule_set_through_the_service(county_user, enterprise):
    for year in (YEAR - 2, YEAR - 1, YEAR):
        VerifiedAnnualReportFactory(
            enterprise=enterprise, created_by=county_user, year=year, employees=2000,
            operating_revenue=D("50000"), main_business_revenue=D("45000"),
            total_assets=D("60000"), rd_expense=D("2000"),
        )
    gansu = RuleSet.objects.get(code="gansu-2026-zjtx")

    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise, ruleset=gansu, year=YEAR, save=False,
        declared_figures={"niche_market_since": {"value": "2015-03-01",
                                                 "evidence": "首份细分市场产品合同"}},
    )

    assert evaluation.outcome == "failed"
    c0 = next(item for item in evaluation.results if item["code"] == "C0")
    assert c0["verdict"] == "fail"
    assert c0["figures"]["size_class"] == "large"
    with translation.override("zh-hans"):
        reason = next(r for r in evaluation.summary["reasons"] if r["item"] == "C0")
    assert "大型" in reason["zh"] and "2,000" in reason["zh"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "valid_until", "held"),
    [
        (CertificateStatus.ACTIVE, datetime.date(2029, 10, 19), True),
        (CertificateStatus.ACTIVE, datetime.date(2026, 11, 30), False),  # past its term
        (CertificateStatus.REVOKED, datetime.date(2029, 10, 19), False),
        (CertificateStatus.EXPIRED, datetime.date(2026, 11, 30), False),
    ],
)
def test_the_facts_carry_the_provincial_certificate_valid_on_the_day(
    enterprise, status, valid_until, held
):
    revoked = status == CertificateStatus.REVOKED
    certificate = CertificateFactory(
        enterprise=enterprise, status=status, valid_until=valid_until,
        revocation_reason=RevocationReason.RELOCATED if revoked else "",
        revoked_at=timezone.now() if revoked else None,
    )

    found = evaluation_facts(
        enterprise=enterprise, year=YEAR, on=datetime.date(2026, 12, 7)
    ).zjtx_certificate

    assert (found is not None) is held
    if held:
        assert found["number"] == certificate.number
