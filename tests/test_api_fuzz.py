"""Every operation of the published API, fuzzed by schemathesis: never a server error, never a
response that the schema does not describe (docs/SECURITY.md, section 4).

The schema is loaded from the WSGI application in-process, so the cases run against the test
database (pytest-django's transaction, rolled back afterwards) with a few rows of every kind.
Each operation runs as anonymous, as a read-only API token and as provincial staff, with inputs
that fit the schema and inputs that do not; the seed is fixed, so a run is repeatable.
"""

import time
from dataclasses import dataclass, field

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from rest_framework.views import APIView

from gansu_sme.wsgi import application
from tests.factories.accounts import api_token
from tests.factories.applications import AttachmentFactory, EvaluationFactory
from tests.factories.certificates import CertificateFactory, ObjectionFactory
from tests.factories.experts import ExpertAssignmentFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.reports import NotificationFactory, ReportFactory
from tests.factories.subsidies import AllocationFactory, BatchItemFactory

pytestmark = pytest.mark.django_db

SEED = 20261207


def checks():
    """No server error; status, content type and body as the schema publishes them."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error, status_code_conformance, content_type_conformance,
        response_schema_conformance,
    ]


@dataclass
class Run:
    """What one fuzzing run did: cases sent and the distinct failures seen."""

    operations: int = 0
    cases: int = 0
    failures: dict = field(default_factory=dict)


@pytest.fixture
def rows(county_user, province_user, api_user):
    """A few rows of every kind the API lists, in 兰州 (where the API account sees them)."""
    enterprise = EnterpriseFactory()
    EnterpriseFactory(region=region("620502"), is_active=False)
    MonitoringReportFactory(enterprise=enterprise)
    PoolEntryFactory(enterprise=enterprise)
    TargetFactory()
    attachment = AttachmentFactory(application__enterprise=enterprise)
    EvaluationFactory(enterprise=enterprise)
    ObjectionFactory()
    CertificateFactory(enterprise=enterprise)
    ExpertAssignmentFactory()
    BatchItemFactory()
    AllocationFactory()
    ReportFactory()
    NotificationFactory(user=province_user)
    NotificationFactory(user=api_user)
    return attachment


@pytest.fixture
def identities(api_user, province_user):
    def bearer(user):
        return {"Authorization": f"Bearer {api_token(user)}"}

    return {"anonymous": {}, "read-only token": bearer(api_user), "staff": bearer(province_user)}


@pytest.fixture
def in_process(monkeypatch):
    """Serve requests through the WSGI handler inside the test's transaction.

    As Django's test client does: the handler would otherwise close the test's connection at the
    end of every request. No throttling: thousands of requests a minute are the point here, and
    the limits have tests of their own.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(APIView, "check_throttles", lambda self, request: None)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def fuzz(identities, *, examples):
    """Send ``examples`` cases per operation, each as every identity; collect the failures."""
    # Imported here, not when tests are collected: schemathesis takes seconds to import, and its
    # pytest plugin is switched off (pyproject.toml) for the same reason.
    import schemathesis

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    run = Run()
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1
        try:
            _send_cases(run, operation, identities, examples)
        # Every failure is reported, not only the first: schemathesis groups its own.
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
            run.failures[operation.label] = str(error)[:6000]
    return run


def _send_cases(run, operation, identities, examples):
    from schemathesis.generation import GenerationMode

    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @seed(SEED)
    @settings(
        max_examples=examples, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def send(case):
        for who, headers in identities.items():
            run.cases += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks(), headers=headers)
            except BaseExceptionGroup as error:
                error.add_note(f"as {who}")
                raise

    send()


def report(run):
    return "\n\n".join(f"== {key}\n{text}" for key, text in run.failures.items())


def test_every_operation_answers_without_server_error_or_schema_mismatch(
    rows, identities, in_process
):
    started = time.monotonic()

    run = fuzz(identities, examples=3)

    print(f"{run.operations} operations, {run.cases} cases in {time.monotonic() - started:.1f} s")
    assert not run.failures, report(run)


@pytest.mark.hardening
def test_every_operation_holds_under_many_more_cases(rows, identities, in_process):
    started = time.monotonic()

    run = fuzz(identities, examples=60)

    print(f"{run.operations} operations, {run.cases} cases in {time.monotonic() - started:.1f} s")
    assert not run.failures, report(run)
