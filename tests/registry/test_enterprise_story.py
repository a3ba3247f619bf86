"""A firm's page tells its story first: pools, applications and certificates, awards, figures."""

import datetime

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus, CertificateStatus, RevocationReason
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.pool import PoolEntryFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db


def _page(client, user, enterprise):
    client.force_login(user)
    response = client.get(
        reverse("registry:enterprise-detail", args=[enterprise.uscc]),
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_certified_firm_shows_its_certificate_application_and_pool_before_its_details(
    client, county_user, enterprise
):
    entry = PoolEntryFactory(enterprise=enterprise)
    application = ApplicationFactory(enterprise=enterprise, status=ApplicationStatus.CERTIFIED)
    certificate = CertificateFactory(
        enterprise=enterprise, application=application, issued_on=datetime.date(2026, 10, 20)
    )
    html = _page(client, county_user, enterprise)

    certificate_url = reverse("certification:certificate-detail", args=[certificate.pk])
    application_url = reverse("certification:application-detail", args=[application.pk])
    entry_url = reverse("registry:pool-entry-detail", args=[entry.pk])
    for link in (certificate_url, application_url, entry_url):
        assert f'href="{link}"' in html
    assert certificate.number in html
    assert "有效" in html  # the certificate's status, in words
    assert "2029年10月19日" in html or "2029年10月20日" in html  # its validity, as a date
    assert "已认定" in html  # the application's outcome
    # The story comes before the registration details and the history.
    details = html.index('id="registration"')
    assert html.index(certificate_url) < details
    assert html.index(application_url) < details
    assert html.index(entry_url) < details


def test_a_revoked_certificate_reads_revoked(client, county_user, enterprise):
    CertificateFactory(
        enterprise=enterprise,
        status=CertificateStatus.REVOKED,
        revocation_reason=RevocationReason.RELOCATED,
        revoked_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC),
    )
    html = _page(client, county_user, enterprise)
    assert "已撤销" in html


def test_a_firm_without_history_says_so(client, county_user, enterprise):
    html = _page(client, county_user, enterprise)
    assert "暂无认定证书" in html
    assert "暂无申报" in html


def test_a_firm_of_another_region_is_not_reachable(client, city_user):
    elsewhere = EnterpriseFactory(region=region("620502"))
    client.force_login(city_user)
    response = client.get(reverse("registry:enterprise-detail", args=[elsewhere.uscc]))
    assert response.status_code == 404
