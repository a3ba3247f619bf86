"""The city reward from verified annual reports, and the project-support flow."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from registry.models import MonitoringReport
from subsidies import services
from subsidies.choices import EntitlementStatus, ProgramKind, ProjectStatus
from subsidies.models import Allocation, Entitlement, Program
from tests.factories.accounts import PASSWORD
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import budget, submitted_batch

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def crossing(name, before, after, code="620102"):
    firm = EnterpriseFactory(name=name, region=region(code))
    verified_annual(firm, YEAR - 1, before)
    verified_annual(firm, YEAR, after)
    return firm


def test_the_city_reward_counts_net_new_above_scale_firms_with_evidence(finance):
    up1 = crossing("升规甲", 1500, 2500)
    crossing("升规乙", 1900, 2100, code="620103")
    crossing("降规丙", 2600, 1800)
    crossing("一直规上", 3000, 3200)
    crossing("天水升规", 1000, 2500, code="620502")  # another city
    reward = services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR)
    assert (reward.firms_up, reward.firms_down, reward.net_new) == (2, 1, 1)
    assert {e["name"]: e["direction"] for e in reward.evidence} == {
        "升规甲": "up", "升规乙": "up", "降规丙": "down",
    }
    entitlement = reward.entitlement
    assert entitlement.amount == Decimal("300000.00")
    assert entitlement.enterprise is None
    assert entitlement.payee_name == "兰州市财政局"

    # Nothing changed: recomputing writes nothing.
    again = services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR)
    assert again.computed_at == reward.computed_at
    assert Entitlement.objects.count() == 1

    # A late-verified report moves a firm back: the recompute says what changed.
    MonitoringReport.objects.filter(enterprise=up1, year=YEAR).update(
        main_business_revenue=Decimal("1900")
    )
    services.entitlement_approve(actor=finance, entitlement=entitlement,
                                 budget=budget(finance))
    crossing("升规丁", 1200, 2200, code="620104")
    crossing("升规戊", 1200, 2200, code="620104")
    changed = services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR)
    assert changed.net_new == 2
    assert [e["name"] for e in changed.last_changes["removed"]] == ["升规甲"]
    assert sorted(e["name"] for e in changed.last_changes["added"]) == ["升规丁", "升规戊"]
    assert changed.last_changes["net_new_before"] == 1
    entitlement.refresh_from_db()
    assert entitlement.amount == Decimal("600000.00")
    # The reservation follows the new amount.
    assert Allocation.objects.get().reserved == Decimal("600000.00")


def test_the_current_year_cannot_be_closed(finance):
    with pytest.raises(DomainError):
        services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR + 1)


def test_a_project_is_submitted_vouched_and_approved_within_the_city_block(
    county_user, city_user, finance, enterprise
):
    budget_ = budget(finance, blocks={"620100": "500000"})
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=YEAR, title="数控机床智能化改造",
        purpose="购置五轴加工中心", amount_requested=Decimal("800000"),
        evidence="可研报告、设备采购合同",
    )
    with pytest.raises(InvalidTransition):  # the city has not vouched yet
        services.project_approve(actor=finance, project=project, amount=Decimal("1"),
                                 budget=budget_)
    with pytest.raises(PermissionDenied):
        services.project_vouch(actor=county_user, project=project)
    services.project_vouch(actor=city_user, project=project)
    with pytest.raises(DomainError):  # more than the city's block holds
        services.project_approve(actor=finance, project=project, amount=Decimal("600000"),
                                 budget=budget_)
    services.project_approve(actor=finance, project=project, amount=Decimal("450000.50"),
                             budget=budget_)
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.entitlement.status == EntitlementStatus.APPROVED
    assert project.entitlement.amount == Decimal("450000.50")
    assert Allocation.objects.get().remaining == Decimal("49999.50")
    with pytest.raises(InvalidTransition):
        services.project_vouch(actor=city_user, project=project)


def test_a_county_cannot_submit_for_a_firm_of_another_county(other_county_user, enterprise):
    from gansu_sme.exceptions import OutOfScope

    with pytest.raises(OutOfScope):
        services.project_submit(
            actor=other_county_user, enterprise=enterprise, year=YEAR, title="x", purpose="x",
            amount_requested=Decimal("1"), evidence="x",
        )


def test_a_city_reward_recomputed_to_zero_reopens_when_firms_come_back(finance):
    lanzhou = region("620100")
    firm = crossing("升规甲", 1500, 2500)
    reward = services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement = reward.entitlement
    services.entitlement_approve(actor=finance, entitlement=entitlement, budget=budget(finance))
    # The program is repriced later: this reward keeps the price it was made with.
    Program.objects.filter(kind=ProgramKind.CITY_SCALE_UP).update(amount=Decimal("400000"))

    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("1900")
    )
    services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.CANCELLED
    assert Allocation.objects.get().reserved == Decimal("0.00")

    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("2500")
    )
    crossing("升规乙", 1500, 2500, code="620103")
    services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.PENDING
    assert entitlement.amount == entitlement.full_amount == Decimal("600000.00")
    assert entitlement.allocation is None
    assert list(entitlement.transitions.values_list("from_status", "to_status")) == [
        ("", "pending"), ("pending", "approved"), ("approved", "cancelled"),
        ("cancelled", "pending"),
    ]


def test_a_city_reward_in_a_batch_is_not_recomputed(finance):
    lanzhou = region("620100")
    firm = crossing("升规甲", 1500, 2500)
    reward = services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)
    services.entitlement_approve(actor=finance, entitlement=reward.entitlement,
                                 budget=budget(finance))
    submitted_batch(finance, [reward.entitlement])
    MonitoringReport.objects.filter(enterprise=firm, year=YEAR).update(
        main_business_revenue=Decimal("1900")
    )
    with pytest.raises(InvalidTransition):
        services.city_reward_compute(actor=finance, city=lanzhou, year=YEAR)


def test_every_project_step_is_recorded_and_shown(
    client, county_user, city_user, finance, enterprise
):
    budget_ = budget(finance, blocks={"620100": "500000"})
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=YEAR, title="数控机床智能化改造",
        purpose="购置五轴加工中心", amount_requested=Decimal("300000"), evidence="可研报告",
    )
    services.project_vouch(actor=city_user, project=project, note="材料真实")
    services.project_approve(actor=finance, project=project, amount=Decimal("200000"),
                             budget=budget_, note="按比例支持")
    rows = list(project.transitions.values_list("from_status", "to_status", "actor", "reason"))
    assert rows == [
        ("", ProjectStatus.SUBMITTED, county_user.pk, ""),
        (ProjectStatus.SUBMITTED, ProjectStatus.VOUCHED, city_user.pk, "材料真实"),
        (ProjectStatus.VOUCHED, ProjectStatus.APPROVED, finance.pk,
         "200,000.00 元。 按比例支持"),
    ]
    client.login(username=finance.username, password=PASSWORD)
    page = client.get(reverse("subsidies:project-detail", args=[project.pk])).content.decode()
    assert "材料真实" in page and "按比例支持" in page


def test_a_rejection_is_recorded_with_its_note(county_user, city_user, enterprise):
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=YEAR, title="项目", purpose="用途",
        amount_requested=Decimal("100000"), evidence="证明",
    )
    services.project_reject(actor=city_user, project=project, note="材料不全")
    last = project.transitions.last()
    assert (last.to_status, last.actor, last.reason) == (
        ProjectStatus.REJECTED, city_user, "材料不全")
