"""Monitoring report services: filing in bulk, corrections, status changes, derived figures."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.choices import Role
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.choices import REPORT_TRANSITIONS, PeriodKind, ReportStatus, ReportVerb
from registry.figures import FIGURES_BY_NAME, FigureError
from registry.models import Enterprise, Industry, MonitoringReport, MonitoringReportTransition
from registry.services.monitoring import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ReportInput,
    ReportsInvalid,
    enterprise_refresh_figures,
    monitoring_report_return,
    monitoring_report_save,
    monitoring_report_submit,
    monitoring_report_update,
    monitoring_report_verify,
    monitoring_reports_save,
)
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory, figures
from tests.factories.registry import EnterpriseFactory, region

ReportEvent = MonitoringReport.pgh_event_model
EnterpriseEvent = Enterprise.pgh_event_model


def annual(enterprise, year=2024, **overrides):
    return ReportInput(enterprise, PeriodKind.YEAR, year, 0, figures(**overrides))


def monthly(enterprise, month, year=2025, **values):
    return ReportInput(enterprise, PeriodKind.MONTH, year, month, values)


def writes():
    """Reports, transitions and history events, to show that a call wrote nothing."""
    return (
        MonitoringReport.objects.count(),
        MonitoringReportTransition.objects.count(),
        ReportEvent.objects.count(),
    )


def save_one(actor, enterprise, year=2024, submit=False, **overrides):
    return monitoring_report_save(
        actor=actor,
        enterprise=enterprise,
        period_kind=PeriodKind.YEAR,
        year=year,
        period=0,
        figures=figures(**overrides),
        submit=submit,
    )


def verified_report(enterprise, verifier, year=2024, **overrides):
    result = save_one(verifier, enterprise, year=year, submit=True, **overrides)
    return monitoring_report_verify(actor=verifier, report=result.report)


def moves(report):
    return list(report.transitions.values_list("from_status", "to_status", "actor__username"))


# Filing


def test_county_staff_file_a_draft_annual_report_with_a_transition_row(county_user, enterprise):
    [result] = monitoring_reports_save(actor=county_user, items=[annual(enterprise)])

    report = MonitoringReport.objects.get()
    assert result == (report, CREATED)
    assert (report.status, report.revision, report.corrects) == (ReportStatus.DRAFT, 0, None)
    assert report.operating_revenue == Decimal("2400.00")
    assert report.created_by == county_user
    assert moves(report) == [("", "draft", "chengguan")]
    assert ReportEvent.objects.get().pgh_context.metadata["user"] == county_user.pk


def test_city_staff_file_for_an_enterprise_in_a_county_of_their_city(city_user, enterprise):
    [result] = monitoring_reports_save(actor=city_user, items=[annual(enterprise)])

    assert result.outcome == CREATED
    assert result.report.created_by == city_user


@pytest.mark.parametrize("actor", ["province_user", "api_user", "expert_user"])
def test_roles_other_than_county_and_city_staff_cannot_file(request, actor, enterprise):
    user = request.getfixturevalue(actor)

    with pytest.raises(PermissionDenied):
        monitoring_reports_save(actor=user, items=[annual(enterprise)])
    assert writes() == (0, 0, 0)


def test_an_enterprise_of_another_county_is_an_item_error_in_bulk(
    other_county_user, enterprise
):
    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=other_county_user, items=[annual(enterprise)])

    [message] = caught.value.errors[0]["enterprise"]
    assert message.code == "out_of_scope"


def test_an_enterprise_of_another_city_is_not_found_for_a_single_save(other_city_user, enterprise):
    with pytest.raises(OutOfScope):
        save_one(other_city_user, enterprise)
    assert writes() == (0, 0, 0)


def test_a_deactivated_enterprise_takes_no_reports(county_user, enterprise):
    enterprise.is_active = False
    enterprise.save()

    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[annual(enterprise)])

    assert "已停用" in caught.value.errors[0]["enterprise"][0]


def test_saving_identical_figures_again_is_unchanged_and_writes_nothing(county_user, enterprise):
    first = save_one(county_user, enterprise)
    before = writes()

    again = save_one(county_user, enterprise)

    assert again == (first.report, UNCHANGED)
    assert writes() == before


def test_saving_some_figures_updates_the_draft_and_keeps_the_others(county_user, enterprise):
    first = save_one(county_user, enterprise)

    [result] = monitoring_reports_save(
        actor=county_user,
        items=[ReportInput(enterprise, PeriodKind.YEAR, 2024, 0, {"taxes": "120.5"})],
    )

    report = MonitoringReport.objects.get()
    assert result == (first.report, UPDATED)
    assert report.taxes == Decimal("120.50")
    assert report.operating_revenue == Decimal("2400.00")
    assert report.status == ReportStatus.DRAFT
    assert ReportEvent.objects.filter(pgh_label="update").count() == 1


def test_an_empty_value_clears_a_figure(county_user, enterprise):
    save_one(county_user, enterprise)

    monitoring_reports_save(
        actor=county_user,
        items=[ReportInput(enterprise, PeriodKind.YEAR, 2024, 0, {"export_value": ""})],
    )

    assert MonitoringReport.objects.get().export_value is None


def test_submit_files_and_submits_with_a_row_for_each_move(county_user, enterprise):
    result = save_one(county_user, enterprise, submit=True)

    report = MonitoringReport.objects.get()
    assert result.outcome == CREATED
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None
    assert moves(report) == [("", "draft", "chengguan"), ("draft", "submitted", "chengguan")]


def test_submit_on_save_submits_a_draft_whose_figures_did_not_change(county_user, enterprise):
    save_one(county_user, enterprise)

    result = save_one(county_user, enterprise, submit=True)

    assert result.outcome == UNCHANGED
    assert result.report.status == ReportStatus.SUBMITTED


def test_a_submitted_report_cannot_change_but_the_same_figures_are_unchanged(
    county_user, enterprise
):
    save_one(county_user, enterprise, submit=True)
    before = writes()

    assert save_one(county_user, enterprise).outcome == UNCHANGED
    with pytest.raises(DomainError) as caught:
        save_one(county_user, enterprise, taxes=Decimal("1"))

    assert "等待核实" in caught.value.message
    assert writes() == before


def test_a_verified_report_with_the_same_figures_is_unchanged(county_user, enterprise):
    verified = verified_report(enterprise, county_user)
    before = writes()

    result = save_one(county_user, enterprise)

    assert result == (verified, UNCHANGED)
    assert writes() == before


def test_different_figures_for_a_verified_period_file_a_correction(county_user, enterprise):
    verified = verified_report(enterprise, county_user)

    [result] = monitoring_reports_save(
        actor=county_user,
        items=[ReportInput(enterprise, PeriodKind.YEAR, 2024, 0, {"taxes": Decimal("99")})],
    )

    correction = result.report
    assert result.outcome == CREATED
    assert (correction.revision, correction.corrects, correction.status) == (
        1, verified, ReportStatus.DRAFT,
    )
    # The correction starts from the verified figures.
    assert correction.operating_revenue == verified.operating_revenue
    assert correction.taxes == Decimal("99.00")
    verified.refresh_from_db()
    assert verified.status == ReportStatus.VERIFIED
    assert verified.taxes == Decimal("96.00")


def test_verifying_a_correction_supersedes_the_report_it_corrects(
    county_user, city_user, enterprise
):
    verified = verified_report(enterprise, county_user)
    correction = monitoring_report_save(
        actor=city_user, enterprise=enterprise, period_kind=PeriodKind.YEAR, year=2024,
        period=0, figures={"taxes": Decimal("99")}, submit=True,
    ).report

    monitoring_report_verify(actor=county_user, report=correction)

    verified.refresh_from_db()
    correction.refresh_from_db()
    assert verified.status == ReportStatus.SUPERSEDED
    assert correction.status == ReportStatus.VERIFIED
    assert moves(verified)[-1] == ("verified", "superseded", "chengguan")
    assert "更正" in verified.transitions.last().reason
    assert MonitoringReport.objects.filter(status=ReportStatus.VERIFIED).count() == 1


def test_a_correction_of_a_correction_takes_the_next_revision(county_user, enterprise):
    verified_report(enterprise, county_user)
    first = verified_report(enterprise, county_user, taxes=Decimal("99"))

    second = save_one(county_user, enterprise, taxes=Decimal("98")).report

    assert (first.revision, second.revision, second.corrects) == (1, 2, first)


def test_a_report_for_another_period_is_a_separate_report(county_user, enterprise):
    save_one(county_user, enterprise, year=2024)
    save_one(county_user, enterprise, year=2025)
    monitoring_reports_save(actor=county_user, items=[monthly(enterprise, 3, taxes=5)])

    assert MonitoringReport.objects.count() == 3


def test_each_item_meets_the_report_of_its_own_period_only(county_user):
    first, second = EnterpriseFactory.create_batch(2)
    monitoring_reports_save(actor=county_user, items=[annual(first, 2023), annual(second, 2024)])

    # Each enterprise has a report of the other's period: neither is this item's report.
    results = monitoring_reports_save(
        actor=county_user, items=[annual(first, 2024), annual(second, 2023)]
    )

    assert [r.outcome for r in results] == [CREATED, CREATED]
    assert MonitoringReport.objects.filter(revision=0).count() == 4


def test_update_of_a_specific_report_refuses_a_verified_one(county_user, enterprise):
    verified = verified_report(enterprise, county_user)

    with pytest.raises(InvalidTransition):
        monitoring_report_update(actor=county_user, report=verified, figures={"taxes": 1})


def test_update_of_a_returned_report_keeps_it_returned_until_submitted(county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report
    monitoring_report_return(actor=county_user, report=report, reason="税金有误")

    result = monitoring_report_update(actor=county_user, report=report, figures={"taxes": 90})

    assert result.outcome == UPDATED
    assert result.report.status == ReportStatus.RETURNED
    result = monitoring_report_update(
        actor=county_user, report=report, figures={"taxes": 91}, submit=True
    )
    assert result.report.status == ReportStatus.SUBMITTED
    assert moves(result.report)[-1] == ("returned", "submitted", "chengguan")


# Validation: everything is checked before anything is written.


def test_nothing_is_written_when_one_item_of_many_is_bad(county_user, enterprise):
    others = [EnterpriseFactory() for _ in range(2)]
    items = [
        annual(others[0]),
        annual(enterprise, operating_revenue="-5", cnc_ratio=Decimal("120")),
        annual(others[1]),
    ]

    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=items)

    assert writes() == (0, 0, 0)
    assert list(caught.value.errors) == [1]
    errors = caught.value.errors[1]
    assert set(errors) == {"operating_revenue", "cnc_ratio"}
    assert [m.code for m in errors["operating_revenue"]] == ["negative"]
    assert [m.code for m in errors["cnc_ratio"]] == ["not_a_percentage"]


@pytest.mark.parametrize(
    ("kind", "year", "period", "field", "code"),
    [
        ("year", 2024, 3, "period", "invalid_period"),
        ("quarter", 2024, 5, "period", "invalid_period"),
        ("month", 2024, 13, "period", "invalid_period"),
        ("month", 2024, 0, "period", "invalid_period"),
        ("week", 2024, 1, "period_kind", "invalid_period_kind"),
        ("year", 1999, 0, "year", "invalid_year"),
        ("year", 2099, 0, "period", "period_not_begun"),
    ],
)
def test_period_must_exist_and_have_begun(county_user, enterprise, kind, year, period, field,
                                          code):
    item = ReportInput(enterprise, kind, year, period, figures())

    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[item])

    assert caught.value.errors[0][field][0].code == code


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("operating_revenue", "12.345", "too_many_decimals"),
        ("operating_revenue", "abc", "not_a_number"),
        ("operating_revenue", Decimal("1e12"), "too_large"),
        ("total_assets", -1, "negative"),
        ("land_area", "-0.5", "negative"),
        ("employees", 12.5, "not_a_count"),
        ("employees", -3, "not_a_count"),
        ("employees", True, "not_a_count"),
        ("uses_cloud", "maybe", "not_yes_no"),
        ("turnover", 5, "unknown_figure"),
    ],
)
def test_each_figure_is_validated_under_its_own_name(county_user, enterprise, name, value, code):
    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[annual(enterprise, **{name: value})])

    # Filed under the figure's name, so a form, the API and an import name it once.
    assert list(caught.value.errors[0]) == [name]
    [refusal] = caught.value.errors[0][name]
    assert refusal.code == code


def test_refusals_are_in_the_active_language(county_user, enterprise):
    with translation.override("en"), pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[annual(enterprise, taxes="abc")])

    assert caught.value.errors[0]["taxes"] == ["Must be a number."]


def test_values_from_spreadsheets_and_forms_are_accepted(county_user, enterprise):
    values = {
        "operating_revenue": 2400.1,  # a float from a workbook
        "main_business_revenue": "2,300.00",
        "total_profit": "-15.5",  # a loss
        "employees": 320.0,
        "uses_cloud": "是",
        "uses_ecommerce": "否",
    }

    [result] = monitoring_reports_save(actor=county_user, items=[annual(enterprise, **values)])

    report = result.report
    report.refresh_from_db()
    assert report.operating_revenue == Decimal("2400.10")
    assert report.main_business_revenue == Decimal("2300.00")
    assert report.total_profit == Decimal("-15.50")
    assert (report.employees, report.uses_cloud, report.uses_ecommerce) == (320, True, False)


def test_the_same_period_twice_in_one_save_is_refused(county_user, enterprise):
    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[annual(enterprise), annual(enterprise)])

    assert list(caught.value.errors) == [1]
    assert "重复" in caught.value.errors[1]["__all__"][0]


def test_a_new_report_needs_at_least_one_figure(county_user, enterprise):
    item = ReportInput(enterprise, PeriodKind.YEAR, 2024, 0, {"taxes": None})

    with pytest.raises(ReportsInvalid) as caught:
        monitoring_reports_save(actor=county_user, items=[item])

    assert "至少填写一项" in caught.value.errors[0]["__all__"][0]


def test_a_single_save_reports_the_refused_figures_as_fields(county_user, enterprise):
    with pytest.raises(DomainError) as caught:
        save_one(county_user, enterprise, rd_staff="many")

    assert set(caught.value.fields) == {"rd_staff"}


# Constant queries, whatever the number of items.


def _items(enterprises, year):
    return [annual(e, year=year, taxes=Decimal(n)) for n, e in enumerate(enterprises)]


@pytest.mark.parametrize("count", [1, 50])
def test_bulk_save_runs_the_same_queries_for_1_or_50_new_reports(
    county_user, django_assert_num_queries, count
):
    enterprises = EnterpriseFactory.create_batch(count)
    # savepoint, enterprises, existing reports, references, insert reports, insert transitions,
    # reports that compare with these (none here), release savepoint
    with django_assert_num_queries(8):
        results = monitoring_reports_save(
            actor=county_user, items=_items(enterprises, 2024), submit=True
        )
    assert {r.outcome for r in results} == {CREATED}


@pytest.mark.parametrize("count", [1, 50])
def test_bulk_save_runs_the_same_queries_for_1_or_50_updates_and_corrections(
    county_user, django_assert_num_queries, count
):
    drafts = EnterpriseFactory.create_batch(count)
    verified = EnterpriseFactory.create_batch(count)
    monitoring_reports_save(actor=county_user, items=_items(drafts + verified, 2024))
    MonitoringReport.objects.filter(enterprise__in=verified).update(status=ReportStatus.VERIFIED)
    items = [annual(e, taxes=Decimal("1.5")) for e in drafts + verified]

    # savepoint, enterprises, existing reports, references, insert corrections, update drafts,
    # insert transitions, reports that compare with these (none here), release savepoint
    with django_assert_num_queries(9):
        results = monitoring_reports_save(actor=county_user, items=items, submit=True)
    assert [r.outcome for r in results] == [UPDATED] * count + [CREATED] * count


def test_re_saving_unchanged_reports_writes_nothing_in_constant_queries(
    county_user, django_assert_num_queries
):
    enterprises = EnterpriseFactory.create_batch(20)
    items = _items(enterprises, 2024)
    monitoring_reports_save(actor=county_user, items=items)
    before = writes()

    # savepoint, enterprises, existing reports, release savepoint
    with django_assert_num_queries(4):
        results = monitoring_reports_save(actor=county_user, items=items)

    assert {r.outcome for r in results} == {UNCHANGED}
    assert writes() == before


# Data-quality flags are computed on save.


def test_flags_are_stored_on_save_and_cleared_when_the_figures_are_fixed(county_user, enterprise):
    report = save_one(county_user, enterprise, rd_expense=Decimal("5000")).report

    assert [f["rule"] for f in report.flags] == ["rd_above_revenue"]
    fixed = save_one(county_user, enterprise, rd_expense=Decimal("100")).report
    fixed.refresh_from_db()
    assert fixed.flags == []


def test_year_on_year_change_is_flagged_against_last_years_verified_report(
    county_user, enterprise
):
    verified_report(enterprise, county_user, year=2024)

    report = save_one(county_user, enterprise, year=2025, operating_revenue=Decimal("4000"),
                      main_business_revenue=Decimal("3900")).report

    [flag] = report.flags
    assert flag["rule"] == "yoy_revenue"
    assert flag["figures"]["previous_operating_revenue"] == "2400.00"


def test_year_on_year_within_one_submitting_save_compares_with_the_save_itself(
    county_user, enterprise
):
    items = [
        annual(enterprise, 2024),
        annual(enterprise, 2025, operating_revenue=Decimal("900"),
               main_business_revenue=Decimal("800")),
    ]

    results = monitoring_reports_save(actor=county_user, items=items, submit=True)

    assert [f["rule"] for f in results[1].report.flags] == ["yoy_revenue"]


def test_drafts_are_no_reference_for_year_on_year(county_user, enterprise):
    items = [
        annual(enterprise, 2024),
        annual(enterprise, 2025, operating_revenue=Decimal("900"),
               main_business_revenue=Decimal("800")),
    ]

    results = monitoring_reports_save(actor=county_user, items=items)

    assert results[1].report.flags == []


def test_a_save_ignores_last_years_draft(county_user, enterprise):
    save_one(county_user, enterprise, year=2024)

    report = save_one(county_user, enterprise, year=2025, operating_revenue=Decimal("9000"),
                      main_business_revenue=Decimal("8000")).report

    assert report.flags == []


def test_annual_report_is_flagged_when_twelve_months_do_not_add_up(county_user, enterprise):
    months = [monthly(enterprise, m, operating_revenue=Decimal("150")) for m in range(1, 13)]
    monitoring_reports_save(actor=county_user, items=months, submit=True)

    report = save_one(county_user, enterprise, year=2025).report

    assert [f["rule"] for f in report.flags] == ["months_add_up"]
    assert report.flags[0]["figures"]["months_operating_revenue"] == "1800.00"


def test_submitting_checks_the_flags_again(county_user, enterprise):
    report = save_one(county_user, enterprise, year=2025).report
    months = [monthly(enterprise, m, operating_revenue=Decimal("150")) for m in range(1, 13)]
    monitoring_reports_save(actor=county_user, items=months, submit=True)

    submitted = monitoring_report_submit(actor=county_user, report=report)

    assert [f["rule"] for f in submitted.flags] == ["months_add_up"]


def test_a_verified_annual_report_is_flagged_when_its_months_arrive_later(
    county_user, enterprise
):
    report = verified_report(enterprise, county_user, year=2025)
    assert report.flags == []

    months = [monthly(enterprise, m, operating_revenue=Decimal("150")) for m in range(1, 13)]
    monitoring_reports_save(actor=county_user, items=months, submit=True)

    report.refresh_from_db()
    assert [f["rule"] for f in report.flags] == ["months_add_up"]
    assert report.status == ReportStatus.VERIFIED


def test_next_years_report_is_checked_again_when_last_year_is_submitted_later(
    county_user, enterprise
):
    later = save_one(county_user, enterprise, year=2025, submit=True,
                     operating_revenue=Decimal("900"), main_business_revenue=Decimal("800"))
    assert later.report.flags == []

    earlier = save_one(county_user, enterprise, year=2024)
    monitoring_report_submit(actor=county_user, report=earlier.report)

    later.report.refresh_from_db()
    assert [f["rule"] for f in later.report.flags] == ["yoy_revenue"]


# Status changes: who may make them.


def test_county_staff_of_the_enterprises_county_verify(county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report

    verified = monitoring_report_verify(actor=county_user, report=report)

    assert verified.status == ReportStatus.VERIFIED
    assert verified.verified_by == county_user
    assert verified.verified_at is not None
    assert moves(verified)[-1] == ("submitted", "verified", "chengguan")


@pytest.mark.parametrize("service", ["verify", "return"])
def test_city_staff_of_a_city_with_counties_neither_verify_nor_return(
    city_user, county_user, enterprise, service
):
    report = save_one(county_user, enterprise, submit=True).report

    with pytest.raises(PermissionDenied):
        if service == "verify":
            monitoring_report_verify(actor=city_user, report=report)
        else:
            monitoring_report_return(actor=city_user, report=report, reason="x")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("code", ["620200", "LZXQ"])
def test_staff_of_a_prefecture_unit_without_counties_verify_its_firms(db, code):
    staff = UserFactory(role=Role.CITY_STAFF, region=region(code))
    enterprise = EnterpriseFactory(region=region(code))
    report = save_one(staff, enterprise, submit=True).report

    assert monitoring_report_verify(actor=staff, report=report).status == ReportStatus.VERIFIED


def test_staff_of_another_county_cannot_find_the_report(other_county_user, county_user,
                                                        enterprise):
    report = save_one(county_user, enterprise, submit=True).report

    with pytest.raises(OutOfScope):
        monitoring_report_verify(actor=other_county_user, report=report)


@pytest.mark.parametrize("actor", ["province_user", "api_user"])
def test_province_and_api_clients_cannot_verify(request, actor, county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report

    with pytest.raises(PermissionDenied):
        monitoring_report_verify(actor=request.getfixturevalue(actor), report=report)


def test_returning_needs_a_reason(county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report

    with pytest.raises(DomainError) as caught:
        monitoring_report_return(actor=county_user, report=report, reason="  ")

    assert set(caught.value.fields) == {"reason"}


def test_a_return_records_its_reason(county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report

    monitoring_report_return(actor=county_user, report=report, reason="从业人员数与社保不符")

    last = report.transitions.last()
    assert (last.from_status, last.to_status, last.reason) == (
        "submitted", "returned", "从业人员数与社保不符",
    )


def test_verifying_twice_records_one_transition(county_user, enterprise):
    report = save_one(county_user, enterprise, submit=True).report
    monitoring_report_verify(actor=county_user, report=report)
    before = writes()

    again = monitoring_report_verify(actor=county_user, report=report)

    assert again.status == ReportStatus.VERIFIED
    assert writes() == before


# Every edge of REPORT_TRANSITIONS, allowed and forbidden.

SERVICES = {
    ReportStatus.SUBMITTED: lambda actor, report: monitoring_report_submit(
        actor=actor, report=report
    ),
    ReportStatus.VERIFIED: lambda actor, report: monitoring_report_verify(
        actor=actor, report=report
    ),
    ReportStatus.RETURNED: lambda actor, report: monitoring_report_return(
        actor=actor, report=report, reason="请核对"
    ),
}
EDGES = [(source, target) for source in ReportStatus for target in SERVICES if source != target]


@pytest.mark.parametrize(("source", "target"), EDGES)
def test_every_status_change_follows_the_transitions_table(county_user, source, target):
    report = MonitoringReportFactory(status=source)

    if target in REPORT_TRANSITIONS[source].values():
        changed = SERVICES[target](county_user, report)
        assert changed.status == target
        assert moves(changed) == [(source, target, "chengguan")]
    else:
        with pytest.raises(InvalidTransition):
            SERVICES[target](county_user, report)
        report.refresh_from_db()
        assert report.status == source
        assert not report.transitions.exists()


def test_superseded_is_reached_only_by_verifying_a_correction(county_user, enterprise):
    assert REPORT_TRANSITIONS[ReportStatus.VERIFIED] == {
        ReportVerb.SUPERSEDE: ReportStatus.SUPERSEDED
    }
    verified = verified_report(enterprise, county_user)
    correction = save_one(county_user, enterprise, submit=True, taxes=Decimal("1")).report

    monitoring_report_verify(actor=county_user, report=correction)

    verified.refresh_from_db()
    assert verified.status == ReportStatus.SUPERSEDED


# Derived enterprise figures.


def test_verifying_an_annual_report_derives_size_class_and_above_scale(county_user, enterprise):
    verified_report(enterprise, county_user, year=2024)

    enterprise.refresh_from_db()
    # C35 industry, 320 employees and 2,400 万元: medium (Y ≥ 300, R ≥ 2,000), above scale.
    assert (enterprise.size_class, enterprise.is_above_scale, enterprise.figures_year) == (
        "medium", True, 2024,
    )


def test_the_latest_verified_year_decides_and_history_shows_each_change(county_user, enterprise):
    verified_report(enterprise, county_user, year=2024)
    verified_report(enterprise, county_user, year=2025, employees=80,
                    operating_revenue=Decimal("1500"), main_business_revenue=Decimal("1450"))

    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.is_above_scale, enterprise.figures_year) == (
        "small", False, 2025,
    )
    events = EnterpriseEvent.objects.filter(pgh_obj=enterprise).order_by("pgh_id")
    assert [(e.size_class, e.is_above_scale) for e in events] == [
        ("", False), ("medium", True), ("small", False),
    ]
    assert events.last().pgh_context.metadata["user"] == county_user.pk


def test_verifying_a_monthly_report_leaves_the_derived_figures_alone(county_user, enterprise):
    [result] = monitoring_reports_save(
        actor=county_user, items=[monthly(enterprise, 4, operating_revenue=500, employees=300)],
        submit=True,
    )

    monitoring_report_verify(actor=county_user, report=result.report)

    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.figures_year) == ("", None)


def test_refreshing_derived_figures_twice_writes_nothing_the_second_time(county_user, enterprise):
    verified_report(enterprise, county_user)
    before = EnterpriseEvent.objects.count()

    enterprise_refresh_figures(enterprise=enterprise)

    assert EnterpriseEvent.objects.count() == before


def test_missing_figures_leave_the_size_class_blank(county_user, enterprise):
    verified_report(enterprise, county_user, employees=None)

    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.is_above_scale) == ("", True)


def test_a_non_industrial_firm_is_never_above_scale(county_user):
    software = EnterpriseFactory(industry=Industry.objects.get(code="I65"))

    verified_report(software, county_user)

    software.refresh_from_db()
    assert software.is_above_scale is False
    assert software.size_class == "medium"  # software: Y ≥ 100 and R ≥ 1,000


@pytest.mark.parametrize(("code", "reason"), [("G53", "size_railway_not_covered"),
                                             ("J66", "size_financial_standard")])
def test_railways_and_finance_are_left_unclassed_with_the_reason_on_the_page(
    client, county_user, code, reason
):
    firm = EnterpriseFactory(industry=Industry.objects.get(code=code))

    verified_report(firm, county_user)

    firm.refresh_from_db()
    assert firm.size_class == ""
    assert firm.size_class_not_classed.code == reason
    client.force_login(county_user)
    page = client.get(reverse("registry:enterprise-detail", args=[firm.uscc])).content.decode()
    assert f'data-code="{reason}"' in page


# Validating without writing


def test_validate_only_predicts_outcomes_and_flags_and_writes_nothing(county_user, enterprise):
    """The import's validation: every check and flag of a save, and nothing written."""
    verified_report(enterprise, county_user, year=2024)
    draft = save_one(county_user, enterprise, year=2025, rd_expense=Decimal("100")).report
    fresh = EnterpriseFactory()
    items = [
        annual(enterprise, 2025, operating_revenue=Decimal("9000"),
               main_business_revenue=Decimal("8000")),
        annual(enterprise, 2024, rd_expense=Decimal("200")),
        annual(fresh, 2024, rd_expense=Decimal("5000")),
    ]
    before = writes()
    stored = list(MonitoringReport.objects.order_by("pk").values())

    predicted = monitoring_reports_save(actor=county_user, items=items, validate_only=True)

    assert writes() == before
    assert list(MonitoringReport.objects.order_by("pk").values()) == stored
    assert [result.outcome for result in predicted] == [UPDATED, CREATED, CREATED]
    assert predicted[0].report.pk == draft.pk
    assert predicted[1].report.pk is None
    assert predicted[1].report.revision == 1
    assert predicted[2].report.pk is None
    # The same call, writing: the same outcomes, figures and flags.
    saved = monitoring_reports_save(actor=county_user, items=items)
    assert [r.outcome for r in saved] == [r.outcome for r in predicted]
    for guess, result in zip(predicted, saved, strict=True):
        assert guess.report.flags == result.report.flags
        assert guess.report.operating_revenue == result.report.operating_revenue
    assert [f["rule"] for f in predicted[0].report.flags] == ["yoy_revenue"]
    assert [f["rule"] for f in predicted[2].report.flags] == ["rd_above_revenue"]


def test_validate_only_refuses_exactly_what_a_save_refuses(county_user, enterprise):
    items = [annual(enterprise, operating_revenue="-5"), annual(EnterpriseFactory())]

    with pytest.raises(ReportsInvalid) as checked:
        monitoring_reports_save(actor=county_user, items=items, validate_only=True)
    with pytest.raises(ReportsInvalid) as saved:
        monitoring_reports_save(actor=county_user, items=items)

    assert checked.value.errors == saved.value.errors
    assert writes() == (0, 0, 0)


@pytest.mark.parametrize(
    "value",
    [0, 0.0, -0.0, 1, 2400.5, 0.1 + 0.2, 1.005, 62.5, 100.0, 100.01, 1e12, 999999999999.99,
     -3.25, 320.0, 2**31, True, "是", " 否 ", "1,234.5", Decimal("1.50"), Decimal("1.505"),
     Decimal("NaN"), float("inf"), float("nan"), None, ""],
)
def test_the_fast_figure_parsers_agree_with_the_general_rules(value):
    for figure in FIGURES_BY_NAME.values():
        try:
            expected = ("ok", figure._parse(value))
        except FigureError as exc:
            expected = ("error", str(exc))
        try:
            got = ("ok", figure.parser(value))
        except FigureError as exc:
            got = ("error", str(exc))
        assert got == expected, figure.name
        assert str(got[1]) == str(expected[1]), figure.name
