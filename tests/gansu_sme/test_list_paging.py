"""Keyset pages of the HTML lists: every row once, in order, in both directions; the same
queries at any depth and page size; a bounded count; search and order served by indexes."""

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from gansu_sme import lists
from gansu_sme.lists import RowCount
from registry.filtersets import EnterpriseFilterSet
from registry.models import Enterprise
from registry.views.enterprises import EnterpriseList
from tests.factories.registry import EnterpriseFactory

pytestmark = pytest.mark.django_db

URL = "registry:enterprise-list"


def _page(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.context["page"]


def _ids(page):
    return [firm.pk for firm in page.object_list]


@pytest.fixture
def tied(county_user, client, monkeypatch):
    """Seven firms, five founded on one day, listed two to a page by founding date."""
    day = datetime.date(2015, 3, 1)
    made = EnterpriseFactory.create_batch(5, founded_on=day)
    made += [EnterpriseFactory(founded_on=day - datetime.timedelta(days=n)) for n in (1, 2)]
    monkeypatch.setattr(EnterpriseList, "paginate_by", 2)
    client.force_login(county_user)
    return made


@pytest.mark.parametrize("ordering", ["founded_on", "-founded_on", "name"])
def test_next_then_previous_show_every_row_once_in_order(client, tied, ordering):
    expected = list(
        Enterprise.objects.order_by(ordering, f"{'-' if ordering[0] == '-' else ''}pk")
        .values_list("pk", flat=True)
    )

    forward, page, numbers = [], _page(client, ordering=ordering), []
    while True:
        forward.append(_ids(page))
        numbers.append(page.number)
        if not page.has_next:
            break
        page = _page(client, ordering=ordering, cursor=page.next_cursor)
    backward = [_ids(page)]
    while page.has_previous:
        page = _page(client, ordering=ordering, cursor=page.previous_cursor)
        backward.insert(0, _ids(page))

    assert [pk for ids in forward for pk in ids] == expected
    assert backward == forward
    assert numbers == [1, 2, 3, 4]
    assert page.number == 1


def test_the_last_page_link_opens_the_end_of_the_list(client, tied):
    expected = list(Enterprise.objects.order_by("name", "pk").values_list("pk", flat=True))

    last = _page(client, cursor="last")
    before = _page(client, cursor=last.previous_cursor)

    assert _ids(last) == expected[-2:]
    assert (last.has_next, last.number) == (False, None)
    assert _ids(before) == expected[-4:-2]
    assert before.has_next


def test_a_cursor_from_another_order_or_edited_by_hand_opens_the_first_page(client, tied):
    first = _page(client)
    second = _page(client, cursor=first.next_cursor)

    assert _ids(_page(client, ordering="-name", cursor=first.next_cursor)) == _ids(
        _page(client, ordering="-name")
    )
    assert _ids(_page(client, cursor="not-a-cursor")) == _ids(first)
    assert _ids(second) != _ids(first)


def test_the_navigation_reads_in_chinese_and_keeps_the_filters(client, tied):
    first = client.get(reverse(URL), {"search": "公司"}).text
    page = _page(client, search="公司")
    second = client.get(reverse(URL), {"search": "公司", "cursor": page.next_cursor}).text

    assert "第 1 页" in first and "下一页" in first and "末页" in first
    assert "上一页" not in first
    assert "首页" in second and "上一页" in second and "第 2 页" in second
    assert "search=%E5%85%AC%E5%8F%B8&amp;cursor=" in first


def _queries(client, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as captured:
        assert client.get(reverse(URL), params).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_queries_on_any_page_and_at_any_page_size(
    client, tied, monkeypatch, django_assert_max_num_queries
):
    EnterpriseFactory.create_batch(6)
    first = _queries(client, {}, django_assert_max_num_queries)
    page = _page(client)
    for _ in range(3):
        page = _page(client, cursor=page.next_cursor)
    deep = _queries(client, {"cursor": page.next_cursor}, django_assert_max_num_queries)
    back = _queries(client, {"cursor": page.previous_cursor}, django_assert_max_num_queries)
    monkeypatch.setattr(EnterpriseList, "paginate_by", 10)
    wide = _queries(client, {}, django_assert_max_num_queries)

    assert first == deep == back == wide


def test_a_large_list_says_more_than_or_about_instead_of_counting_every_row(
    client, tied, monkeypatch
):
    monkeypatch.setattr(lists, "COUNT_LIMIT", 3)

    count = _page(client).count
    text = client.get(reverse(URL)).text

    assert count.exact is None and count.at_least == 3
    assert count.label in text
    assert "共 7 家企业" not in text


def test_the_count_label_is_exact_about_or_more_than(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        assert RowCount(exact=1234).label == "共 1,234 条"
        assert RowCount(at_least=10_000, estimate=1_234_567).label == "约 1,230,000 条"
        assert RowCount(at_least=10_000, estimate=800).label == "超过 10,000 条"


def test_a_small_list_still_counts_exactly(client, tied):
    assert "共 7 家企业" in client.get(reverse(URL)).text


@pytest.mark.parametrize("query", ["兰州", "新材料", "新材料科技", "620100", "MA7"])
def test_search_finds_by_any_part_of_the_name_or_the_credit_code(client, county_user, query):
    firm = EnterpriseFactory(name="甘肃兰州新材料科技有限公司", uscc="91620100MA74ABCD3X")
    EnterpriseFactory(name="天水机床厂", uscc="91620500224410234Q")
    client.force_login(county_user)

    found = _page(client, search=query.lower())

    assert _ids(found) == [firm.pk]


def _plan(queryset, *off):
    """The plan of ``queryset`` as JSON text, with sequential scans (and ``off``) discouraged:
    on a test's few rows the planner would otherwise read the whole table."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", *off):
            cursor.execute(f"SET LOCAL {setting} = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        return json.dumps(cursor.fetchone()[0])


def test_search_and_the_default_order_read_their_indexes(rf, county_user):
    EnterpriseFactory.create_batch(3)
    request = rf.get("/")
    request.user = county_user
    view = EnterpriseList()
    view.setup(request)
    _filter, rows = view.filtered()
    found = {
        query: EnterpriseFilterSet({"search": query}, queryset=Enterprise.objects.all()).qs
        for query in ("新材料", "91620")
    }

    assert "registry_ent_name_id" in _plan(rows[:51], "enable_sort")
    for query, search in found.items():
        plan = _plan(search.order_by(), "enable_indexscan")
        assert "registry_ent_name_trgm" in plan and "registry_ent_uscc_trgm" in plan, query


def test_the_monitoring_list_s_default_order_reads_its_index(rf, province_user):
    from registry.views.monitoring import MonitoringList

    request = rf.get("/")
    request.user = province_user
    view = MonitoringList()
    view.setup(request)
    _filter, rows = view.filtered()

    assert "registry_mr_year_period_id" in _plan(rows[:51], "enable_sort")
