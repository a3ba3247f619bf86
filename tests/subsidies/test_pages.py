"""Subsidy pages as finance officers read them: amounts with separators, totals rows under
every money list, Chinese dates on Chinese pages."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.choices import Role
from subsidies import services
from subsidies.models import PaymentBatch
from tests.factories.accounts import UserFactory
from tests.factories.registry import region
from tests.factories.subsidies import approved_awards, budget, submitted_batch

pytestmark = pytest.mark.django_db


def footer(text):
    return text[text.index("<tfoot>"):text.index("</tfoot>")]


def test_the_budget_list_shows_amounts_with_separators_and_a_totals_row(client, finance):
    budget(finance, year=2025, amount="10000000")
    budget(finance, year=2026, amount="5000000", blocks={"620100": "1000000"})
    client.force_login(finance)

    text = client.get(reverse("subsidies:budget-list")).text

    assert "10,000,000.00" in text
    assert "15,000,000.00" in footer(text)
    assert "4,000,000.00" in footer(text)  # allocated: 3,000,000 + 1,000,000
    assert not re.search(r"\d{7}\.\d\d", text)


def test_the_budget_page_totals_its_city_blocks(client, finance):
    made = budget(finance, blocks={"620100": "3000000", "620200": "1500000.5"})
    client.force_login(finance)

    text = client.get(reverse("subsidies:budget-detail", args=[made.pk])).text

    assert "4,500,000.50" in footer(text)


def test_the_batch_page_totals_its_items_and_the_batch_list_reads_chinese_dates(
    client, finance, finance2
):
    awards = approved_awards(finance, count=2)
    batch = submitted_batch(finance, awards)
    PaymentBatch.objects.filter(pk=batch.pk).update(paid_on=datetime.date(2026, 1, 5))
    client.force_login(finance)

    detail = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).text
    listing = client.get(reverse("subsidies:batch-list")).text

    assert "600,000.00" in footer(detail)
    assert "2026年1月5日" in listing
    assert "600,000.00" in footer(listing)


def test_an_english_page_reads_english_dates(client, finance):
    awards = approved_awards(finance)
    batch = submitted_batch(finance, awards)
    PaymentBatch.objects.filter(pk=batch.pk).update(paid_on=datetime.date(2026, 1, 5))
    client.force_login(finance)

    text = client.get(reverse("subsidies:batch-list"), headers={"Accept-Language": "en"}).text

    assert "Jan. 5, 2026" in text


def test_the_auditor_s_menu_reaches_subsidies_and_campaigns(client):
    auditor = UserFactory(role=Role.AUDITOR, region=region("620000"))
    client.force_login(auditor)

    menu = client.get(reverse("subsidies:entitlement-list")).text

    nav = menu[menu.index('class="site-nav"'):menu.index("</nav>", menu.index('class="site-nav"'))]
    assert f'href="{reverse("subsidies:entitlement-list")}"' in nav
    assert f'href="{reverse("certification:campaign-list")}"' in nav
    assert client.get(reverse("certification:campaign-list")).status_code == 200


def test_the_subsidy_tabs_mark_the_current_page_and_removal_reads_remove_from_batch(
    client, finance
):
    [award] = approved_awards(finance)
    batch = services.batch_create(actor=finance, title="草稿")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=[award])
    client.force_login(finance)

    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).text

    tabs = page[page.index('<nav class="tabs"'):]
    current = tabs[:tabs.index("</nav>")].split('aria-current="page"')
    assert len(current) == 2
    assert reverse("subsidies:batch-list") in current[0].rsplit("<a", 1)[1]
    assert "移出批次" in page
