"""Item 5 of issue 12: the city reward and the target progress count net new above-scale
firms by one rule (``registry.selectors.scale.directory_moves``), so the same verified
reports give the same number in both places."""

import datetime

import pytest
from django.urls import reverse

from registry.choices import TargetMetric
from registry.selectors import target_progress
from subsidies import services
from tests.factories.pool import TargetFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

YEAR = 2025


def lanzhou_2025():
    """One firm crossed the line, one fell below it, and one founded in 2025 reports 3,000
    万元 in its first year: entries 2, exits 1."""
    crossed = EnterpriseFactory(name="升规甲", region=region("620102"),
                                founded_on=datetime.date(2010, 1, 1))
    verified_annual(crossed, YEAR - 1, 1500)
    verified_annual(crossed, YEAR, 2500)
    fell = EnterpriseFactory(name="降规乙", region=region("620103"),
                             founded_on=datetime.date(2010, 1, 1))
    verified_annual(fell, YEAR - 1, 2600)
    verified_annual(fell, YEAR, 1800)
    founded = EnterpriseFactory(name="新建丙", region=region("620104"),
                                founded_on=datetime.date(YEAR, 3, 1))
    verified_annual(founded, YEAR, 3000)


def test_the_2025_example_gives_the_same_net_new_in_the_city_reward_and_the_targets(
    finance, province_user
):
    lanzhou_2025()
    TargetFactory(region=region("620100"), metric=TargetMetric.NET_NEW_ABOVE_SCALE, year=YEAR,
                  value=5)

    reward = services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR)
    [progress] = target_progress(user=province_user, year=YEAR)

    assert (reward.firms_up, reward.firms_down, reward.net_new) == (2, 1, 1)
    assert progress.actual == reward.net_new == 1
    founded = next(e for e in reward.evidence if e["name"] == "新建丙")
    assert (founded["direction"], founded["revenue_before"]) == ("up", None)


def test_the_city_reward_page_says_a_firm_was_founded_in_the_year(client, finance):
    lanzhou_2025()
    reward = services.city_reward_compute(actor=finance, city=region("620100"), year=YEAR)
    client.force_login(finance)

    html = client.get(reverse("subsidies:city-reward-detail", args=[reward.pk])).text

    assert "新建丙" in html
    assert "None" not in html
