"""The monitoring report API through HTTP: scope, roles, writes, transitions, paging, queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.choices import Role
from registry.choices import REPORT_TRANSITIONS, PeriodKind, ReportStatus
from registry.models import MonitoringReport
from registry.services.monitoring import monitoring_report_save
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import ACTORS, permission_matrix, user_of

REPORTS = reverse("registry-api:monitoring-report-list")


def report_url(report, action=None):
    if action is None:
        return reverse("registry-api:monitoring-report-detail", args=[report.pk])
    return reverse(f"registry-api:monitoring-report-{action}", args=[report.pk])


def enterprise_reports_url(uscc):
    return reverse("registry-api:enterprise-monitoring-report-list", args=[uscc])





def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def filing(enterprise, **overrides):
    body = {
        "enterprise": enterprise.uscc,
        "period_kind": "year",
        "year": 2024,
        "operating_revenue": "2400.00",
        "main_business_revenue": "2300.00",
        "employees": 320,
        "taxes": "96.00",
    }
    body.update(overrides)
    return body


# Permission matrix: every endpoint and action, for each kind of caller.

# One column per actor; the target is a report of an enterprise of 城关区 (兰州市). Verifying and
# returning belong to the county's own staff: 兰州's city staff hear 403.
MATRIX = {
    "list reports": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get report": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "list enterprise reports": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "file report": (401, 403, 403, 403, 403, 400, 400, 201, 201),
    "edit report": (401, 403, 403, 403, 403, 404, 404, 200, 200),
    "submit report": (401, 403, 403, 403, 403, 404, 404, 200, 200),
    "verify report": (401, 403, 403, 403, 403, 404, 404, 200, 403),
    "return report": (401, 403, 403, 403, 403, 404, 404, 200, 403),
    "delete report": (401, 403, 403, 403, 403, 405, 405, 405, 405),
}
# Callers whose region covers 城关区.
COVERING = {"api_user", "auditor_user", "province_user", "county_user", "city_user"}
# The status the report has before each operation.
START = {"verify report": ReportStatus.SUBMITTED, "return report": ReportStatus.SUBMITTED}


def send(client, operation, report):
    return {
        "list reports": lambda: client.get(REPORTS),
        "get report": lambda: client.get(report_url(report)),
        "list enterprise reports": lambda: client.get(
            enterprise_reports_url(report.enterprise.uscc)
        ),
        "file report": lambda: client.post(
            REPORTS, filing(report.enterprise, year=2025), format="json"
        ),
        "edit report": lambda: client.patch(report_url(report), {"taxes": "1"}, format="json"),
        "submit report": lambda: client.post(report_url(report, "submit")),
        "verify report": lambda: client.post(report_url(report, "verify")),
        "return report": lambda: client.post(
            report_url(report, "return"), {"reason": "请核对"}, format="json"
        ),
        "delete report": lambda: client.delete(report_url(report)),
    }[operation]()


@permission_matrix(ACTORS, MATRIX)
def test_permission_matrix(request, as_user, enterprise, operation, actor, expected):
    user = user_of(request, actor)
    status = START.get(operation, ReportStatus.DRAFT)
    report = MonitoringReportFactory(enterprise=enterprise, status=status)

    response = send(as_user(user), operation, report)

    assert response.status_code == expected, response.json()
    if operation.startswith("list") and expected == 200:
        assert ids(response) == ([report.pk] if actor in COVERING else [])
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        report.refresh_from_db()
        assert (report.status, report.taxes) == (status, Decimal("96.00"))
        assert MonitoringReport.objects.count() == 1


# Reading.


def test_a_report_shows_its_enterprise_period_figures_and_flags(as_user, county_user, enterprise):
    report = MonitoringReportFactory(
        enterprise=enterprise, rd_expense=Decimal("5000"),
        flags=[{"rule": "rd_above_revenue", "message": "研发费用高于营业收入", "figures": {}}],
    )

    body = as_user(county_user).get(report_url(report)).json()

    assert body["enterprise"] == enterprise.uscc
    assert body["enterprise_name"] == enterprise.name
    assert body["region"] == "620102"
    assert (body["period_kind"], body["year"], body["period"]) == ("year", 2024, 0)
    assert body["period_label"] == "2024年"
    assert body["operating_revenue"] == "2400.00"
    assert body["employees"] == 120
    assert body["flags"][0]["rule"] == "rd_above_revenue"
    assert body["status"] == "draft"


@pytest.fixture
def reports(enterprise):
    """Reports of 城关区 and 七里河区 (兰州) and 秦州区 (天水) across periods and statuses."""
    qilihe = EnterpriseFactory(region=region("620103"))
    tianshui = EnterpriseFactory(region=region("620502"))
    return {
        "annual": MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.VERIFIED),
        "month": MonitoringReportFactory(
            enterprise=enterprise, period_kind=PeriodKind.MONTH, year=2025, period=3,
            status=ReportStatus.SUBMITTED,
            flags=[{"rule": "yoy_revenue", "message": "x", "figures": {}}],
        ),
        "qilihe": MonitoringReportFactory(enterprise=qilihe, year=2025),
        "tianshui": MonitoringReportFactory(enterprise=tianshui),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["annual", "month", "qilihe"]),
        ({"enterprise": "{uscc}"}, ["annual", "month"]),
        ({"period_kind": "month"}, ["month"]),
        ({"year": 2025}, ["month", "qilihe"]),
        ({"period_kind": "month", "period": 3}, ["month"]),
        ({"region": "620103"}, ["qilihe"]),
        ({"region": "620100"}, ["annual", "month", "qilihe"]),
        ({"status": "verified"}, ["annual"]),
        ({"flagged": "true"}, ["month"]),
        ({"flagged": "false"}, ["annual", "qilihe"]),
        ({"rule": "yoy_revenue"}, ["month"]),
        ({"search": "天水"}, []),
    ],
)
def test_filters_narrow_the_city_staffs_reports(as_user, city_user, reports, enterprise, params,
                                                expected):
    params = {k: str(v).format(uscc=enterprise.uscc.lower()) for k, v in params.items()}

    found = ids(as_user(city_user).get(REPORTS, params))

    assert sorted(found) == sorted(reports[name].pk for name in expected)


def test_a_region_filter_outside_scope_is_refused_like_a_missing_one(as_user, city_user, reports):
    elsewhere = as_user(city_user).get(REPORTS, {"region": "620500"})
    nowhere = as_user(city_user).get(REPORTS, {"region": "629999"})

    assert elsewhere.status_code == nowhere.status_code == 400
    assert elsewhere.json() == nowhere.json()


def test_the_enterprise_list_holds_only_that_enterprises_reports(as_user, city_user, reports,
                                                                 enterprise):
    found = ids(as_user(city_user).get(enterprise_reports_url(enterprise.uscc)))

    assert sorted(found) == sorted([reports["annual"].pk, reports["month"].pk])


def test_the_enterprise_list_of_another_city_answers_404(as_user, city_user, reports):
    tianshui = reports["tianshui"].enterprise

    response = as_user(city_user).get(enterprise_reports_url(tianshui.uscc))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_pages_follow_a_cursor_without_skipping_or_repeating(as_user, county_user, enterprise):
    made = [
        MonitoringReportFactory(enterprise=enterprise, period_kind=PeriodKind.MONTH, year=2025,
                                period=month)
        for month in range(1, 8)
    ]
    client = as_user(county_user)
    seen, url, params = [], enterprise_reports_url(enterprise.uscc), {"page_size": 3}
    while url:
        body = client.get(url, params).json()
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None

    assert seen == sorted((r.pk for r in made), reverse=True)


@pytest.fixture
def many_reports(enterprise, county_user):
    MonitoringReport.objects.bulk_create(
        MonitoringReportFactory.build(
            enterprise=enterprise, created_by=county_user, year=2000 + i // 12,
            period_kind=PeriodKind.MONTH, period=1 + i % 12,
        )
        for i in range(210)
    )


# Token: the token and its owner's other tokens (knox), the owner's region, the page.
@pytest.mark.parametrize("url", ["all", "enterprise"])
@pytest.mark.parametrize("page_size", [5, 200])
def test_listing_costs_the_same_queries_at_any_page_size(
    as_user, city_user, enterprise, many_reports, django_assert_num_queries, url, page_size
):
    client = as_user(city_user)
    target = REPORTS if url == "all" else enterprise_reports_url(enterprise.uscc)

    # The enterprise's list looks the enterprise up first.
    with django_assert_num_queries(4 if url == "all" else 5):
        response = client.get(target, {"page_size": page_size})

    assert len(ids(response)) == page_size


# Writes, all through the services.


def test_filing_twice_creates_then_reports_unchanged(as_user, county_user, enterprise):
    client = as_user(county_user)

    first = client.post(REPORTS, filing(enterprise), format="json")
    again = client.post(REPORTS, filing(enterprise), format="json")

    assert (first.status_code, first.json()["outcome"]) == (201, "created")
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    assert first.json()["id"] == again.json()["id"]
    assert MonitoringReport.objects.get().created_by == county_user


def test_filing_with_submit_sends_the_report_for_verification(as_user, county_user, enterprise):
    response = as_user(county_user).post(
        REPORTS, filing(enterprise, submit=True), format="json"
    )

    assert response.json()["status"] == "submitted"


def test_filing_for_a_verified_period_files_a_correction(as_user, county_user, enterprise):
    verified = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.VERIFIED)

    response = as_user(county_user).post(
        REPORTS, filing(enterprise, taxes="80.00"), format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["revision"], body["corrects"], body["status"]) == (1, verified.pk, "draft")


def test_refused_figures_are_reported_per_field_in_the_requests_language(
    as_user, county_user, enterprise
):
    client = as_user(county_user)
    bad = filing(enterprise, operating_revenue="-1", cnc_ratio="150")
    response = client.post(REPORTS, bad, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    fields = response.json()["fields"]
    assert set(fields) == {"operating_revenue", "cnc_ratio"}
    assert fields["operating_revenue"] == ["不能为负数。"]
    english = client.post(REPORTS, bad, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["fields"]["operating_revenue"] == ["Must not be negative."]
    assert not MonitoringReport.objects.exists()


def test_a_period_that_does_not_exist_is_refused(as_user, county_user, enterprise):
    response = as_user(county_user).post(
        REPORTS, filing(enterprise, period_kind="month", period=13), format="json"
    )

    assert response.status_code == 400
    assert "月份应为1至12" in response.json()["fields"]["period"][0]


def test_status_cannot_be_set_through_the_api(as_user, county_user, enterprise):
    report = MonitoringReportFactory(enterprise=enterprise)

    as_user(county_user).patch(report_url(report), {"status": "verified"}, format="json")
    as_user(county_user).post(REPORTS, filing(enterprise, status="verified"), format="json")

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_editing_a_verified_report_answers_409(as_user, county_user, enterprise):
    report = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.VERIFIED)

    response = as_user(county_user).patch(report_url(report), {"taxes": "1"}, format="json")

    assert response.status_code == 409
    assert "更正" in response.json()["message"]


def test_returning_needs_a_reason(as_user, county_user, enterprise):
    report = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.SUBMITTED)

    response = as_user(county_user).post(report_url(report, "return"), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}


def test_jiayuguan_city_staff_verify_their_firms_reports(as_user, db):
    staff = UserFactory(role=Role.CITY_STAFF, region=region("620200"))
    firm = EnterpriseFactory(region=region("620200"))
    report = monitoring_report_save(
        actor=staff, enterprise=firm, period_kind="year", year=2024, period=0,
        figures={"operating_revenue": 100}, submit=True,
    ).report

    response = as_user(staff).post(report_url(report, "verify"))

    assert response.json()["status"] == "verified"


# Every status change through the API: allowed edges answer 200, forbidden ones 409.

ACTIONS = {
    ReportStatus.SUBMITTED: ("submit", {}),
    ReportStatus.VERIFIED: ("verify", {}),
    ReportStatus.RETURNED: ("return", {"reason": "请核对"}),
}


@pytest.mark.parametrize(
    ("source", "target"),
    [(source, target) for source in ReportStatus for target in ACTIONS if source != target],
)
def test_each_action_follows_the_transitions_table(as_user, county_user, enterprise, source,
                                                   target):
    report = MonitoringReportFactory(enterprise=enterprise, status=source)
    action, body = ACTIONS[target]

    response = as_user(county_user).post(report_url(report, action), body, format="json")

    if target in REPORT_TRANSITIONS[source].values():
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target
    else:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "invalid_transition"
        report.refresh_from_db()
        assert report.status == source


@pytest.mark.parametrize("action", ["submit", "verify", "return"])
def test_repeating_an_action_changes_nothing(as_user, county_user, enterprise, action):
    status = {"submit": "submitted", "verify": "verified", "return": "returned"}[action]
    report = MonitoringReportFactory(enterprise=enterprise, status=status)

    response = as_user(county_user).post(
        report_url(report, action), {"reason": "请核对"}, format="json"
    )

    assert response.status_code == 200
    assert not report.transitions.exists()
