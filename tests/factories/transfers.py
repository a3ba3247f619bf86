"""Factories of the registry's import jobs and export records, written directly."""

import hashlib

import factory

from registry.choices import ImportKind
from registry.models import ExportRecord, ImportJob
from tests.factories.accounts import UserFactory

WORKBOOK = b"PK\x03\x04 a stand-in workbook"


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A pending import of enterprises uploaded by county staff."""

    class Meta:
        model = ImportJob

    kind = ImportKind.ENTERPRISES
    file = factory.django.FileField(filename="企业.xlsx", data=WORKBOOK)
    filename = "企业.xlsx"
    sha256 = hashlib.sha256(WORKBOOK).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)


class ExportRecordFactory(factory.django.DjangoModelFactory):
    """A logged download of the enterprise list."""

    class Meta:
        model = ExportRecord

    user = factory.SubFactory(UserFactory)
    listing = "enterprises"
    row_count = 10
