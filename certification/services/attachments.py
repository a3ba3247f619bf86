"""Evidence attachments: PDF, JPEG, PNG or XLSX, recognised by content, stored under SHA-256."""

import hashlib
import zipfile

import pghistory
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification.choices import APPLICATION_ACTS, APPLICATION_FINAL, FILER_ROLE, AttachmentKind
from certification.models import Application, Attachment
from certification.services.workflow import APPLICATION_WORKFLOW
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, PermissionDenied
from gansu_sme.workflow import waiting_roles

MAX_XLSX_ENTRIES = 1000
_CHUNK = 64 * 1024

PDF, JPEG, PNG, XLSX = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
# The file names each content type may carry: a name may not claim another type.
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), XLSX: (".xlsx",)}

MSG_TYPE = _("Only PDF, JPEG, PNG or XLSX files are accepted.")
MSG_MACROS = _("Workbooks with macros are refused.")


def _refuse(message, code):
    return DomainError(message, code=code, fields={"file": [message]})


def _refuse_type():
    return _refuse(MSG_TYPE, "file_type_refused")


def _refuse_macros():
    return _refuse(MSG_MACROS, "file_macros_refused")


def _xlsx_ok(upload):
    """A real workbook: a zip holding [Content_Types].xml and xl/workbook.xml, no macros."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                raise _refuse_type()
            names = {entry.filename.lower() for entry in entries}
            if any(name.rsplit("/", 1)[-1].startswith("vbaproject") for name in names):
                raise _refuse_macros()
            if not {"[content_types].xml", "xl/workbook.xml"} <= names:
                raise _refuse_type()
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types or b"vbaProject" in content_types:
                raise _refuse_macros()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise _refuse_type() from exc
    finally:
        upload.seek(0)


def sniff(upload: UploadedFile) -> str:
    """The content type of ``upload`` judged by its bytes, or DomainError when not accepted.

    The name's extension must agree with the content, so an executable renamed ``.pdf`` or a
    macro workbook renamed ``.xlsx`` is refused either way.
    """
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif head.startswith(b"PK\x03\x04"):
        name = (upload.name or "").lower()
        if name.endswith((".xlsm", ".xltm", ".xlam", ".xlsb")):
            raise _refuse_macros()
        _xlsx_ok(upload)
        content_type = XLSX
    else:
        raise _refuse_type()
    if not (upload.name or "").lower().endswith(EXTENSIONS[content_type]):
        raise _refuse(
            _("The file name's extension does not match its content."), "file_extension_mismatch"
        )
    return content_type


def _sha256(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(_CHUNK) if hasattr(upload, "chunks") else iter(
        lambda: upload.read(_CHUNK), b""
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def can_attach(actor: User, application: Application) -> bool:
    """The filing side while the application is a draft, or whoever owns its current stage
    (a reviewer adding a note or scan), as long as the application is not final."""
    if application.status in APPLICATION_FINAL or actor.is_read_only:
        return False
    if actor.is_superuser:
        return True
    return actor.role == FILER_ROLE[application.filing_level] or actor.role in waiting_roles(
        APPLICATION_ACTS, application
    )


@transaction.atomic
def attachment_add(
    *, actor: User, application: Application, kind: str, upload: UploadedFile
) -> Attachment:
    """Store an evidence file for an application and return the Attachment.

    Preconditions: the actor sees the application and may attach to it now (``can_attach``);
    ``kind`` is an AttachmentKind; the file is non-empty, at most ATTACHMENT_MAX_BYTES, and
    is by content a PDF, JPEG, PNG or macro-free XLSX whose name agrees; the same file is not
    attached to the application twice.

    Side effects: the file is stored under its SHA-256 (``attachment_path``), the row records
    the name shown, detected content type, size and hash; history names the actor.
    """
    locked = workflow.lock(APPLICATION_WORKFLOW, actor, application)
    if not can_attach(actor, locked):
        raise PermissionDenied()
    if kind not in AttachmentKind.values:
        message = _("Unknown attachment kind.")
        raise DomainError(message, code="unknown_attachment_kind", fields={"kind": [message]})
    size = upload.size
    if not size:
        raise _refuse(_("The file is empty."), "file_empty")
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        megabytes = limit // (1024 * 1024)
        raise _refuse(
            _("The file is larger than %(megabytes)s MB.") % {"megabytes": megabytes},
            "file_too_large",
        )
    content_type = sniff(upload)
    sha256 = _sha256(upload)
    if locked.attachments.filter(sha256=sha256).exists():
        raise _refuse(_("This file is already attached."), "file_already_attached")
    original_name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    attachment = Attachment(
        application=locked,
        kind=kind,
        original_name=original_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["application", "uploaded_by", "file"])
    with pghistory.context(user=actor.pk):
        # FileField.save names the file through attachment_path, i.e. by its hash.
        attachment.file.save(original_name, upload, save=False)
        attachment.save()
    return attachment
