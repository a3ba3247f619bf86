"""The subsidy admin: programs saved through the service, never deleted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from subsidies.choices import ProgramKind
from subsidies.models import Program

pytestmark = pytest.mark.django_db


def test_the_program_admin_saves_through_the_service_and_never_deletes(admin_client):
    program = Program.objects.get(kind=ProgramKind.PROVINCIAL_CERTIFICATE, first_year=2021)
    url = reverse("admin:subsidies_program_change", args=[program.pk])
    response = admin_client.post(url, {
        "name": program.name, "amount": "350000.00", "legal_basis": "甘工信发〔2026〕1号",
        "first_year": program.first_year or "", "last_year": program.last_year or "",
        "is_active": "on",
    })
    assert response.status_code == 302, response.content
    program.refresh_from_db()
    assert program.amount == Decimal("350000.00")
    assert program.events.last().pgh_context.metadata["user"] == response.wsgi_request.user.pk
    delete = reverse("admin:subsidies_program_delete", args=[program.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()
