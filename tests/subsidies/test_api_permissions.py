"""The subsidy API's permission matrix: every resource and action, for each kind of caller."""

import pytest
from django.urls import reverse

from subsidies import services
from subsidies.models import Budget, Entitlement, PaymentBatch, Program
from tests.factories.registry import EnterpriseFactory
from tests.factories.subsidies import budget, certificate
from tests.permissions import ACTORS, permission_matrix, user_of

pytestmark = pytest.mark.django_db

SUBSIDY_ACTORS = [*ACTORS, "finance"]
# One column per actor above; the award is a 城关区 (兰州市) firm's, the batch and the budget
# are the province's. Money decisions belong to finance officers; provincial accounts read
# budgets and batches; 兰州's accounts read its awards; read-only roles write nothing.
MATRIX = {
    "list awards": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "get award": (401, 404, 200, 200, 200, 404, 404, 200, 200, 200),
    "approve award": (401, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    "list batches": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "get batch": (401, 404, 404, 200, 200, 404, 404, 404, 404, 200),
    "create batch": (401, 403, 403, 403, 403, 403, 403, 403, 403, 201),
    "get budget": (401, 404, 404, 200, 200, 404, 404, 404, 404, 200),
    "create budget": (401, 403, 403, 403, 403, 403, 403, 403, 403, 201),
    "list programs": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "edit program": (401, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    "ledger": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "delete award": (401, 403, 403, 403, 403, 403, 403, 403, 403, 405),
}
# Callers who find the award, the batch, the budget in a list.
SEES_AWARD = {"api_user", "auditor_user", "province_user", "county_user", "city_user", "finance"}
SEES_PROVINCE = {"auditor_user", "province_user", "finance"}


@pytest.fixture
def money(finance):
    """A 城关区 firm's award, the budget it may be paid from, and a draft batch."""
    award = services.entitlement_from_certificate(
        certificate_id=certificate(EnterpriseFactory()).pk
    )[0]
    budget_ = budget(finance)
    batch = services.batch_create(actor=finance, title="第一批")
    return award, budget_, batch


def state():
    return (
        sorted(Entitlement.objects.values_list("id", "status")),
        PaymentBatch.objects.count(),
        Budget.objects.count(),
        sorted(Program.objects.values_list("id", "legal_basis")),
    )


def send(client, operation, award, budget_, batch):
    program = Program.objects.order_by("pk").first()
    award_url = reverse("subsidies-api:entitlement-detail", args=[award.pk])
    return {
        "list awards": lambda: client.get(reverse("subsidies-api:entitlement-list")),
        "get award": lambda: client.get(award_url),
        "approve award": lambda: client.post(
            f"{award_url}approve/", {"budget": budget_.pk}, format="json"
        ),
        "list batches": lambda: client.get(reverse("subsidies-api:payment-batch-list")),
        "get batch": lambda: client.get(
            reverse("subsidies-api:payment-batch-detail", args=[batch.pk])
        ),
        "create batch": lambda: client.post(
            reverse("subsidies-api:payment-batch-list"), {"title": "第二批"}, format="json"
        ),
        "get budget": lambda: client.get(reverse("subsidies-api:budget-detail", args=[budget_.pk])),
        "create budget": lambda: client.post(
            reverse("subsidies-api:budget-list"),
            {"year": 2026, "funding_source": budget_.funding_source, "amount": "5000000.00"},
            format="json",
        ),
        "list programs": lambda: client.get(reverse("subsidies-api:program-list")),
        "edit program": lambda: client.patch(
            reverse("subsidies-api:program-detail", args=[program.pk]),
            {"legal_basis": "甘工信发〔2026〕1号"}, format="json",
        ),
        "ledger": lambda: client.get(reverse("subsidies-api:ledger-list")),
        "delete award": lambda: client.delete(award_url),
    }[operation]()


@permission_matrix(SUBSIDY_ACTORS, MATRIX)
def test_permission_matrix(request, as_user, money, operation, actor, expected):
    award, budget_, batch = money
    before = state()

    response = send(as_user(user_of(request, actor)), operation, award, budget_, batch)

    assert response.status_code == expected, response.json()
    if operation == "list awards" and expected == 200:
        listed = {row["id"] for row in response.json()["results"]}
        assert listed == ({award.pk} if actor in SEES_AWARD else set())
    if operation == "list batches" and expected == 200:
        listed = {row["id"] for row in response.json()["results"]}
        assert listed == ({batch.pk} if actor in SEES_PROVINCE else set())
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert state() == before
