"""Certificate pages through HTTP: list, detail, PDF, revocation, verification, recommendations."""

import io
import os
import re
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certification import pdf
from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateStatus,
    RecommendationOutcome,
    RevocationReason,
)
from certification.models import NationalRecommendation
from certification.services.certificates import certificate_revoke
from registry.models import ExportRecord
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")


def pdf_text(content):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content):
    """The base font names of the first page, and whether each is embedded."""
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    fonts = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        fonts[str(font["/BaseFont"])] = embedded
    return fonts


# --- staff pages ------------------------------------------------------------------------------


def test_the_list_shows_certificates_of_the_users_region_and_filters(client, city_user):
    mine = CertificateFactory()
    CertificateFactory(enterprise=EnterpriseFactory(region=region("620502")))
    expired = CertificateFactory(status=CertificateStatus.EXPIRED)
    client.force_login(city_user)

    page = client.get(reverse("certification:certificate-list")).content.decode()
    filtered = client.get(
        reverse("certification:certificate-list"), {"status": "expired", "year": 2026}
    ).content.decode()

    assert mine.number in page and expired.number in page
    # The factory's serials depend on how many certificates earlier tests made; the format not.
    assert re.fullmatch(r"GS-ZJTX-2026-\d{4}", mine.number)
    assert page.count("certificate-row") == 2
    assert filtered.count("certificate-row") == 1 and expired.number in filtered


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_makes_the_same_queries_for_few_or_many(
    client, province_user, django_assert_num_queries, count
):
    CertificateFactory.create_batch(count)
    client.force_login(province_user)

    # Session, user and region, the menu's task count, the region filter's choices, count, page.
    with django_assert_num_queries(7):
        response = client.get(reverse("certification:certificate-list"))

    assert response.status_code == 200


def test_a_certificate_out_of_region_is_404(client, other_city_user):
    certificate = CertificateFactory()
    client.force_login(other_city_user)

    assert client.get(
        reverse("certification:certificate-detail", args=[certificate.pk])
    ).status_code == 404
    assert client.get(
        reverse("certification:certificate-pdf", args=[certificate.pk])
    ).status_code == 404


def test_the_pdf_carries_the_name_in_chinese_and_a_qr_code_of_the_verification_page(
    client, county_user, settings, monkeypatch
):
    settings.SITE_URL = "https://zjtx.gsgxt.example"
    payloads = []
    real_widget = pdf.QrCodeWidget

    def recording_widget(value, **kwargs):
        payloads.append(value)
        return real_widget(value, **kwargs)

    monkeypatch.setattr(pdf, "QrCodeWidget", recording_widget)
    certificate = CertificateFactory(enterprise=EnterpriseFactory(name="兰州城关精密机械有限公司"))
    client.force_login(county_user)

    response = client.get(reverse("certification:certificate-pdf", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    url = f"https://zjtx.gsgxt.example/verify/{certificate.number}/"
    assert payloads == [url]
    text = pdf_text(content)
    for expected in ("兰州城关精密机械有限公司", "甘肃省专精特新中小企业", certificate.number, url,
                     "2029年10月19日"):
        assert expected in text
    record = ExportRecord.objects.get()
    assert (record.user, record.listing, record.filters) == (
        county_user, "certificate_pdf", {"certificate": certificate.number}
    )


def test_the_province_revokes_through_a_confirmation_that_names_the_firm(client, province_user):
    certificate = CertificateFactory(enterprise__name="兰州城关精密机械有限公司")
    client.force_login(province_user)
    url = reverse("certification:certificate-revoke", args=[certificate.pk])

    page = client.get(reverse("certification:certificate-detail", args=[certificate.pk]))
    confirmation = client.get(url)
    no_note = client.post(url, {"reason": "falsified", "note": "", "confirm": "on"})
    done = client.post(url, {"reason": "falsified", "note": "申报材料弄虚作假。", "confirm": "on"})

    assert f'href="{url}"' in page.content.decode()
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "兰州城关精密机械有限公司" in html and certificate.number in html
    assert 'name="reason"' in html and 'name="confirm"' in html
    assert no_note.status_code == 400
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED


def test_a_revocation_not_confirmed_is_refused_and_changes_nothing(client, province_user):
    certificate = CertificateFactory()
    client.force_login(province_user)
    url = reverse("certification:certificate-revoke", args=[certificate.pk])

    refused = client.post(url, {"reason": "falsified", "note": "申报材料弄虚作假。"})

    assert refused.status_code == 400
    assert 'id="revoke-confirmation"' in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_other_roles_see_no_revoke_form_and_cannot_post_it(client, city_user):
    certificate = CertificateFactory()
    client.force_login(city_user)

    page = client.get(reverse("certification:certificate-detail", args=[certificate.pk]))
    confirmation = client.get(reverse("certification:certificate-revoke", args=[certificate.pk]))
    posted = client.post(
        reverse("certification:certificate-revoke", args=[certificate.pk]),
        {"reason": "falsified", "note": "x", "confirm": "on"},
    )

    assert "certificate-revoke" not in page.content.decode()
    assert reverse("certification:certificate-revoke", args=[certificate.pk]) not in (
        page.content.decode()
    )
    assert confirmation.status_code == 403
    assert posted.status_code == 403


# --- public verification ----------------------------------------------------------------------


def test_verification_page_shows_a_valid_certificate_without_sign_in(client, db):
    certificate = CertificateFactory()

    page = client.get(reverse("public:verify", args=[certificate.number]))

    assert page.status_code == 200
    html = page.content.decode()
    assert certificate.enterprise.name in html and "2029年10月19日" in html
    assert "verify-active" in html


def test_verification_page_shows_the_revocation_reason_and_date(client, province_user):
    certificate = CertificateFactory()
    certificate_revoke(
        actor=province_user, certificate=certificate, reason=RevocationReason.RELOCATED,
        note="迁往陕西省。",
    )
    client.logout()

    html = client.get(reverse("public:verify", args=[certificate.number])).content.decode()

    assert "verify-revoked" in html
    assert str(RevocationReason.RELOCATED.label) in html
    assert "迁往陕西省" not in html  # the note is for staff


def test_verification_page_says_expired(client, db):
    certificate = CertificateFactory(status=CertificateStatus.EXPIRED)

    html = client.get(reverse("public:verify", args=[certificate.number])).content.decode()

    assert "verify-expired" in html


def test_an_unknown_number_is_a_clear_404(client, db):
    response = client.get(reverse("public:verify", args=["GS-ZJTX-2026-9999"]))

    assert response.status_code == 404
    assert "verify-missing" in response.content.decode()


def test_the_lookup_form_leads_to_the_verification_page(client, db):
    response = client.get(reverse("public:verify-lookup"), {"number": " GS-ZJTX-2026-0001 "})

    assert response.status_code == 302
    assert response["Location"] == reverse("public:verify", args=["GS-ZJTX-2026-0001"])


# --- national recommendations -----------------------------------------------------------------


def recommend(campaign, user):
    application = ApplicationFactory(campaign=campaign, status=ApplicationStatus.RECOMMENDED)
    return NationalRecommendation.objects.create(
        application=application, enterprise=application.enterprise, year=campaign.year,
        recommended_by=user,
    )


def test_the_province_exports_and_records_outcomes_from_the_page(client, province_user):
    campaign = CampaignFactory(kind=CampaignKind.LITTLE_GIANT)
    recommendation = recommend(campaign, province_user)
    client.force_login(province_user)

    page = client.get(reverse("certification:recommendation-list"), {"campaign": campaign.pk})
    export = client.get(reverse("certification:recommendation-export"), {"campaign": campaign.pk})
    recorded = client.post(
        reverse("certification:recommendation-outcome", args=[recommendation.pk]),
        {f"r{recommendation.pk}-approved": "yes",
         f"r{recommendation.pk}-document": "工信部企业函〔2026〕150号"},
    )

    assert page.status_code == 200 and recommendation.enterprise.name in page.content.decode()
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and rows[1][2] == recommendation.enterprise.name
    assert recorded.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.outcome == RecommendationOutcome.APPROVED
    assert recommendation.certificate.level == "national"


def test_the_recommendation_pages_are_the_provinces(client, city_user):
    client.force_login(city_user)

    assert client.get(reverse("certification:recommendation-list")).status_code == 403


def _certificate_pdf(client, user):
    certificate = CertificateFactory(enterprise=EnterpriseFactory(name="兰州城关精密机械有限公司"))
    client.force_login(user)
    response = client.get(reverse("certification:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 200
    return response.content


def test_the_pdf_embeds_the_chinese_font_so_every_reader_shows_the_same_glyphs(
    client, county_user, settings
):
    if not Path(settings.CERTIFICATE_FONT_FILE).is_file():
        # CI installs fonts-wqy-microhei and sets REQUIRE_BROWSER=1: there a missing font fails.
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{settings.CERTIFICATE_FONT_FILE} is missing")
        pytest.skip(f"{settings.CERTIFICATE_FONT_FILE} is missing (apt-get fonts-wqy-microhei)")

    content = _certificate_pdf(client, county_user)

    fonts = pdf_fonts(content)
    assert any("WenQuanYiMicroHei" in name and embedded for name, embedded in fonts.items())
    assert "兰州城关精密机械有限公司" in pdf_text(content)


def test_without_the_font_file_the_pdf_falls_back_on_the_readers_chinese_font(
    client, county_user, settings, tmp_path
):
    settings.CERTIFICATE_FONT_FILE = str(tmp_path / "missing.ttc")

    content = _certificate_pdf(client, county_user)

    fonts = pdf_fonts(content)
    assert "/STSong-Light" in fonts
    assert not any(fonts.values())
    assert "兰州城关精密机械有限公司" in pdf_text(content)
