"""Client addresses and rate limits: a header the client writes never buys a fresh allowance,
and parallel requests never pass more than the limit (docs/SECURITY.md §2)."""

import datetime
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from certification.choices import ApplicationStatus
from certification.models import Objection
from gansu_sme.api.throttling import UserRateThrottle
from oplog.clients import client_address
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import NoticeFactory

# A fresh, made-up address per request, as the attacker of issue 13 sent them.
FORGED = (f"203.0.113.{i % 250}, 198.51.{i // 250}.{i % 250}" for i in itertools.count())


def request_from(remote="192.0.2.10", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# --- the one function that says where a request came from ------------------------------------


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("192.0.2.10", "10.9.9.9")) == "192.0.2.10"


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote "1.1.1.1, 2.2.2.2"; the proxy appended the address it saw.
    assert client_address(request_from("10.0.0.2", "1.1.1.1, 2.2.2.2, 198.51.100.7")) == (
        "198.51.100.7"
    )


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    address = client_address(request_from("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1"))

    assert address == "198.51.100.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_request_that_bypassed_the_proxy_counts_by_its_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from("192.0.2.10", forwarded)) == "192.0.2.10"


def test_a_header_shorter_than_the_proxy_chain_is_not_read(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from("192.0.2.10", "198.51.100.7")) == "192.0.2.10"


# --- forged X-Forwarded-For on every rate limit ------------------------------------------------


def low_rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "100/minute", **rates},
    }


def open_notice():
    today = timezone.localdate()
    notice = NoticeFactory(starts_on=today, ends_on=today + datetime.timedelta(days=6))
    ApplicationFactory(
        campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice
    )
    return notice


def objection(notice):
    return {"notice": notice.pk, "application": notice.applications.first().pk,
            "name": "王敏", "contact": "13800000000", "text": "研发费用与实际不符。"}


def test_a_new_forwarded_header_per_request_does_not_escape_the_anonymous_limit(settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    low_rates(settings, anon="5/minute")
    client = APIClient()

    statuses = [
        client.get(reverse("schema"), HTTP_X_FORWARDED_FOR=next(FORGED)).status_code
        for _ in range(20)
    ]

    assert statuses.count(200) == 5
    assert statuses[5:] == [429] * 15


def test_a_new_forwarded_header_per_objection_does_not_escape_the_limit(settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.OBJECTION_THROTTLE_RATE = "3/hour"
    notice = open_notice()
    api = APIClient()
    url = reverse("certification-api:objection-list")
    page = reverse("public:notice-detail", args=[notice.pk])

    through_api = [
        api.post(url, objection(notice), format="json", HTTP_X_FORWARDED_FOR=next(FORGED))
        .status_code for _ in range(5)
    ]
    on_the_page = api.post(page, objection(notice), HTTP_X_FORWARDED_FOR=next(FORGED))

    assert through_api == [201, 201, 201, 429, 429]
    assert on_the_page.status_code == 429
    assert Objection.objects.count() == 3


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    low_rates(settings, anon="2/minute")
    client = APIClient(REMOTE_ADDR="10.0.0.2")

    def get(forwarded):
        return client.get(reverse("schema"), HTTP_X_FORWARDED_FOR=forwarded).status_code

    # What the client wrote before the proxy's entry changes nothing.
    first = [get(f"{next(FORGED)}, 198.51.100.7") for _ in range(3)]
    second = [get("198.51.100.8") for _ in range(3)]

    assert first == [200, 200, 429]
    assert second == [200, 200, 429]


# --- concurrency: the check and the count are one step -----------------------------------------


class Ping(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [UserRateThrottle]

    def get(self, request):
        return Response({})


def hammer(settings, *, limit, threads, requests):
    """Send ``requests`` authenticated requests of one account from ``threads`` threads at
    once through DRF's throttling; return how many passed and the seconds it took."""
    low_rates(settings, user=f"{limit}/minute")
    user = SimpleNamespace(pk=4242, is_authenticated=True)
    view = Ping.as_view()
    factory = APIRequestFactory()
    barrier = threading.Barrier(threads)
    per_thread = requests // threads

    def work(_index):
        barrier.wait(timeout=30)
        passed = 0
        for _ in range(per_thread):
            request = factory.get("/ping")
            force_authenticate(request, user=user)
            passed += view(request).status_code == 200
        return passed

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        passed = sum(pool.map(work, range(threads)))
    return passed, time.monotonic() - started


def test_parallel_requests_never_pass_more_than_the_limit(settings):
    passed, _seconds = hammer(settings, limit=100, threads=8, requests=400)

    assert passed == 100


@pytest.mark.hardening
def test_parallel_requests_never_pass_more_than_the_limit_at_full_size(settings):
    """Issue 13's measurement: 2,600 requests of one account from 8 threads at 1,200/minute."""
    passed, seconds = hammer(settings, limit=1200, threads=8, requests=2600)

    print(f"2600 requests in {seconds:.1f} s from 8 threads: {passed} passed")
    assert passed == 1200
