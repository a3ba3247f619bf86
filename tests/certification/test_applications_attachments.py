"""Evidence files: accepted by content, refused when hostile, stored under SHA-256, scoped."""

import hashlib

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus as S
from certification.choices import AttachmentKind
from certification.models import Attachment
from certification.services.attachments import attachment_add
from gansu_sme.exceptions import DomainError, PermissionDenied
from tests.factories.applications import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ApplicationFactory,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024


@pytest.fixture
def draft(enterprise):
    return ApplicationFactory(enterprise=enterprise, status=S.DRAFT)


def add(actor, application, name, content, kind=AttachmentKind.EVIDENCE):
    return attachment_add(
        actor=actor, application=application, kind=kind, upload=upload(name, content)
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("申报书.pdf", PDF_BYTES, "application/pdf"),
        ("营业执照.JPG", JPEG_BYTES, "image/jpeg"),
        ("营业执照.jpeg", JPEG_BYTES, "image/jpeg"),
        ("专利证书.png", PNG_BYTES, "image/png"),
        ("财务报表.xlsx", xlsx_bytes(), XLSX),
    ],
)
def test_accepted_files_are_stored_under_their_hash(
    county_user, draft, tmp_path, name, content, content_type
):
    attachment = add(county_user, draft, name, content)

    digest = hashlib.sha256(content).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.original_name == name
    assert attachment.file.name == f"attachments/{draft.pk}/{digest}"
    assert (tmp_path / attachment.file.name).read_bytes() == content
    assert attachment.uploaded_by == county_user


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("申报书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "file_type_refused"),
        ("宏.xlsm", xlsx_bytes(macros=True), "file_macros_refused"),
        ("宏.xlsx", xlsx_bytes(macros=True), "file_macros_refused"),
        ("假表格.xlsx", b"PK\x03\x04" + b"\x00" * 64, "file_type_refused"),
        ("空.pdf", b"", "file_empty"),
        ("大.pdf", PDF_BYTES + b"\x00" * (64 * 1024), "file_too_large"),
        ("图片.pdf", PNG_BYTES, "file_extension_mismatch"),
        ("说明.txt", b"plain text", "file_type_refused"),
    ],
)
def test_hostile_or_wrong_files_are_refused(county_user, draft, name, content, code):
    with pytest.raises(DomainError) as refused:
        add(county_user, draft, name, content)

    assert refused.value.code == code
    assert "file" in refused.value.fields
    assert not Attachment.objects.exists()


def test_the_same_file_is_attached_once(county_user, draft):
    add(county_user, draft, "申报书.pdf", PDF_BYTES)

    with pytest.raises(DomainError) as refused:
        add(county_user, draft, "申报书副本.pdf", PDF_BYTES)

    assert refused.value.code == "file_already_attached"


def test_only_the_filing_side_or_the_current_stage_owner_attaches(
    county_user, city_user, province_user, enterprise
):
    draft = ApplicationFactory(enterprise=enterprise, status=S.DRAFT)
    with pytest.raises(PermissionDenied):
        add(province_user, draft, "申报书.pdf", PDF_BYTES)

    reviewed = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    assert add(city_user, reviewed, "推荐函.pdf", PDF_BYTES).pk

    final = ApplicationFactory(enterprise=enterprise, status=S.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        add(county_user, final, "申报书.pdf", PDF_BYTES)


def test_download_is_scoped_to_who_sees_the_application(
    client, county_user, other_county_user, city_user, draft
):
    attachment = add(county_user, draft, "申报书.pdf", PDF_BYTES)
    url = reverse("certification:attachment-download", args=[draft.pk, attachment.pk])

    client.force_login(city_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]

    client.force_login(other_county_user)
    assert client.get(url).status_code == 404
    # An attachment asked for under another application's id is not found either.
    other = ApplicationFactory(status=S.DRAFT)
    wrong = reverse("certification:attachment-download", args=[other.pk, attachment.pk])
    client.force_login(county_user)
    assert client.get(wrong).status_code == 404


def test_uploading_on_the_page_shows_the_refusal(client, county_user, draft):
    client.force_login(county_user)
    url = reverse("certification:attachment-upload", args=[draft.pk])

    refused = client.post(url, {"kind": "evidence", "file": upload("病毒.pdf", b"MZ\x90\x00")})
    accepted = client.post(url, {"kind": "paper_application", "file": upload()})

    assert refused.status_code == 400
    assert refused.context["attachment_form"].errors["file"]
    assert accepted.status_code == 302
    assert draft.attachments.get().kind == AttachmentKind.PAPER_APPLICATION
