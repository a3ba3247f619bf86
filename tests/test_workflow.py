"""The workflow kernel (gansu_sme.workflow) and the six workflows it runs.

Every workflow's table is checked against its choices and its acts; every edge of the
entitlement, payment batch and support project tables, allowed and forbidden, goes through the
kernel (the application, monitoring report and pool entry tables have their own edge tests in
tests/certification and tests/registry). The kernel's idempotency, ``expected_status`` guard,
hooks and scope are pinned on one workflow; they are the same code for all.
"""

import datetime
import importlib
from decimal import Decimal

import pgtrigger
import pytest
from django.apps import apps as django_apps
from django.db import models
from django.utils import translation

from certification.services.workflow import APPLICATION_WORKFLOW
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from gansu_sme.models import TransitionRecord
from registry.models import MonitoringReportTransition, PoolEntryTransition
from registry.services.monitoring import REPORT_WORKFLOW
from registry.services.pool import POOL_ENTRY_WORKFLOW
from subsidies import services
from subsidies.choices import BatchStatus, BatchVerb, EntitlementStatus, ProjectStatus
from subsidies.models import (
    Allocation,
    BatchTransition,
    Entitlement,
    PaymentBatch,
    ProjectTransition,
    SupportProject,
)
from subsidies.services.batches import BATCH_WORKFLOW
from subsidies.services.entitlements import ENTITLEMENT_WORKFLOW
from subsidies.services.projects import PROJECT_WORKFLOW
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory
from tests.factories.subsidies import budget, certificate, finance_officer

pytestmark = pytest.mark.django_db

WORKFLOWS = [
    APPLICATION_WORKFLOW, REPORT_WORKFLOW, POOL_ENTRY_WORKFLOW, ENTITLEMENT_WORKFLOW,
    BATCH_WORKFLOW, PROJECT_WORKFLOW,
]
REASON = "依据核查结果"


def _edges(flow):
    return [(status, verb) for status in flow.statuses for verb in flow.verbs]


def _rows(flow, obj):
    return list(
        flow.record.objects.filter(**{flow.subject: obj}).values_list(
            "verb", "from_status", "to_status"
        )
    )


# The tables are data: they name only statuses and verbs of their choices.


@pytest.mark.parametrize("flow", WORKFLOWS, ids=lambda flow: flow.name)
def test_every_table_and_act_names_statuses_and_verbs_of_its_choices(flow):
    statuses, verbs = set(flow.statuses.values), set(flow.verbs.values)
    assert set(flow.table) <= statuses
    for moves in flow.table.values():
        assert set(moves) <= verbs
        assert all(callable(t) or t in statuses for t in moves.values())
    for status, acts in flow.acts.items():
        assert status in flow.table
        for act in acts:
            assert act.verbs is None or act.verbs <= set(flow.table[status])


@pytest.mark.parametrize("flow", WORKFLOWS, ids=lambda flow: flow.name)
def test_every_record_model_is_a_transition_record_with_labelled_statuses(flow):
    assert issubclass(flow.record, TransitionRecord)
    for name, choices in (
        ("from_status", flow.statuses), ("to_status", flow.statuses), ("verb", flow.verbs)
    ):
        assert flow.record._meta.get_field(name).choices == choices.choices


def test_no_record_model_outside_gansu_sme_is_a_plain_model():
    records = {flow.record for flow in WORKFLOWS}
    for record in records:
        assert models.Model not in record.__bases__


# Entitlements, batches and projects: every edge through the kernel.


@pytest.fixture
def finance(db):
    return finance_officer("finance")


@pytest.fixture
def entitlement(finance, enterprise):
    made = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)[0]
    budget(finance)
    return made


def _entitlement_in(entitlement, status):
    allocation = Allocation.objects.get(city=entitlement.city)
    needs_allocation = status not in (EntitlementStatus.PENDING, EntitlementStatus.CANCELLED)
    Entitlement.objects.filter(pk=entitlement.pk).update(
        status=status, allocation=allocation if needs_allocation else None
    )
    entitlement.refresh_from_db()
    return entitlement


def _batch_in(finance, status):
    batch = services.batch_create(actor=finance, title="批次")
    PaymentBatch.objects.filter(pk=batch.pk).update(
        status=status, bank_reference="BANK-1", paid_on=datetime.date(2025, 6, 30)
    )
    batch.refresh_from_db()
    return batch


def _project_in(county_user, enterprise, status):
    project = services.project_submit(
        actor=county_user, enterprise=enterprise, year=2025, title="数控改造", purpose="购置设备",
        amount_requested=Decimal("100000"), evidence="合同",
    )
    SupportProject.objects.filter(pk=project.pk).update(
        status=status, amount_approved=Decimal("1") if status == ProjectStatus.APPROVED else None
    )
    project.refresh_from_db()
    return project


def _satisfied(row):
    # What the verb services set besides the status, so the rows meet their constraints.
    if isinstance(row, SupportProject) and row.status == ProjectStatus.APPROVED:
        row.amount_approved = Decimal("1")
    if isinstance(row, Entitlement) and row.allocation_id is None:
        row.allocation = Allocation.objects.get(city=row.city)


@pytest.fixture
def make(finance, county_user, enterprise, entitlement):
    return {
        ENTITLEMENT_WORKFLOW.name: lambda status: _entitlement_in(entitlement, status),
        BATCH_WORKFLOW.name: lambda status: _batch_in(finance, status),
        PROJECT_WORKFLOW.name: lambda status: _project_in(county_user, enterprise, status),
    }


SUBSIDY_FLOWS = [ENTITLEMENT_WORKFLOW, BATCH_WORKFLOW, PROJECT_WORKFLOW]
SUBSIDY_EDGES = [(flow, status, verb) for flow in SUBSIDY_FLOWS for status, verb in _edges(flow)]


@pytest.mark.parametrize(
    ("flow", "status", "verb"), SUBSIDY_EDGES,
    ids=[f"{f.name}-{s}-{v}" for f, s, v in SUBSIDY_EDGES],
)
def test_every_edge_of_the_subsidy_tables_moves_or_is_refused(make, flow, status, verb):
    row = make[flow.name](status)
    before = _rows(flow, row)

    if verb in flow.table[status]:
        moved = workflow.transition(
            flow, actor=None, obj=row, verb=verb, reason=REASON, apply=_satisfied
        )
        assert moved.status == flow.table[status][verb]
        assert _rows(flow, row) == [*before, (verb, status, moved.status)]
    else:
        with pytest.raises(InvalidTransition):
            workflow.transition(flow, actor=None, obj=row, verb=verb, reason=REASON)
        row.refresh_from_db()
        assert row.status == status
        assert _rows(flow, row) == before


@pytest.mark.parametrize(
    ("flow", "status", "verb", "actor"),
    [
        (ENTITLEMENT_WORKFLOW, EntitlementStatus.PENDING, "approve", "county_user"),
        (BATCH_WORKFLOW, BatchStatus.SUBMITTED, BatchVerb.APPROVE, "province_user"),
        (PROJECT_WORKFLOW, ProjectStatus.SUBMITTED, "vouch", "finance"),
        (PROJECT_WORKFLOW, ProjectStatus.VOUCHED, "approve", "city_user"),
    ],
)
def test_a_role_the_acts_do_not_name_is_refused(request, make, flow, status, verb, actor):
    row = make[flow.name](status)
    user = request.getfixturevalue(actor)

    with pytest.raises((PermissionDenied, OutOfScope)):
        workflow.transition(flow, actor=user, obj=row, verb=verb, reason=REASON)

    row.refresh_from_db()
    assert row.status == status


# The kernel itself, on the project workflow.


@pytest.fixture
def submitted(county_user, enterprise):
    return _project_in(county_user, enterprise, ProjectStatus.SUBMITTED)


def test_a_repeat_by_the_same_actor_changes_nothing(city_user, submitted):
    services.project_vouch(actor=city_user, project=submitted)
    rows = _rows(PROJECT_WORKFLOW, submitted)

    again = services.project_vouch(actor=city_user, project=submitted)

    assert again.status == ProjectStatus.VOUCHED
    assert _rows(PROJECT_WORKFLOW, submitted) == rows


def test_a_repeat_by_another_officer_is_refused(city_user, submitted):
    services.project_vouch(actor=city_user, project=submitted)
    colleague = UserFactory(username="lanzhou2", role=city_user.role, region=city_user.region)

    with pytest.raises(InvalidTransition):
        services.project_vouch(actor=colleague, project=submitted)


def test_a_stale_expected_status_is_refused(city_user, finance, submitted):
    services.project_reject(actor=city_user, project=submitted, note="材料不实")

    with pytest.raises(InvalidTransition) as refused:
        services.project_vouch(
            actor=city_user, project=submitted, expected_status=ProjectStatus.SUBMITTED
        )

    assert refused.value.code == "invalid_transition"
    with translation.override("zh-hans"):
        assert "未批准" in str(refused.value.message)  # the status by its label, never its code
    with translation.override("en"):
        # Said in the reader's language, whenever it is read.
        english = str(refused.value.message)
    assert "rejected" not in english and not any("\u4e00" <= c <= "\u9fff" for c in english)


def test_a_guard_that_refuses_writes_nothing(city_user, submitted):
    def refuse(row):
        raise DomainError("不行")

    with pytest.raises(DomainError):
        workflow.transition(
            PROJECT_WORKFLOW, actor=city_user, obj=submitted, verb="vouch", guard=refuse
        )

    submitted.refresh_from_db()
    assert submitted.status == ProjectStatus.SUBMITTED
    assert _rows(PROJECT_WORKFLOW, submitted) == [("submit", "", ProjectStatus.SUBMITTED)]


def test_apply_runs_inside_the_lock_and_after_runs_on_commit(
    city_user, submitted, django_capture_on_commit_callbacks
):
    seen = []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.transition(
            PROJECT_WORKFLOW, actor=city_user, obj=submitted, verb="vouch",
            apply=lambda row: seen.append(("apply", row.status)),
            after=lambda row: seen.append(("after", row.status)),
        )
        assert seen == [("apply", ProjectStatus.VOUCHED)]

    for callback in callbacks:
        callback()
    assert seen == [("apply", ProjectStatus.VOUCHED), ("after", ProjectStatus.VOUCHED)]


def test_a_reason_is_required_where_the_workflow_says(finance, entitlement):
    with pytest.raises(DomainError) as refused:
        workflow.transition(ENTITLEMENT_WORKFLOW, actor=finance, obj=entitlement, verb="cancel")

    assert refused.value.code == "reason_required"
    assert "reason" in refused.value.fields


# get_visible: the one lookup of a row in the actor's scope.


def test_get_visible_finds_a_row_in_scope_and_not_one_outside(
    county_user, other_county_user, submitted
):
    assert SupportProject.objects.get_visible(county_user, submitted.pk) == submitted
    assert SupportProject.objects.get_visible(None, submitted.pk, lock=True) == submitted
    with pytest.raises(OutOfScope):
        SupportProject.objects.get_visible(other_county_user, submitted.pk)
    with pytest.raises(OutOfScope):
        SupportProject.objects.get_visible(county_user, 0)


# The migrations that made the six models transition records keep every row and name its verb.


def _migration(app, name):
    return importlib.import_module(f"{app}.migrations.{name}")


def test_the_data_migrations_name_the_verb_of_every_earlier_row(
    county_user, city_user, finance, submitted
):
    report = MonitoringReportFactory()
    entry = PoolEntryFactory()
    batch = services.batch_create(actor=finance, title="批次")
    earlier = [
        (MonitoringReportTransition, {"report": report}, "", "draft", "file"),
        (MonitoringReportTransition, {"report": report}, "draft", "submitted", "submit"),
        (MonitoringReportTransition, {"report": report}, "submitted", "returned", "return"),
        (PoolEntryTransition, {"entry": entry}, "", "active", "admit"),
        (PoolEntryTransition, {"entry": entry}, "active", "removed", "remove"),
        (BatchTransition, {"batch": batch}, "approved", "cancelled", "cancel"),
        (ProjectTransition, {"project": submitted}, "submitted", "vouched", "vouch"),
    ]
    made = [
        (model.objects.create(**subject, from_status=source, to_status=target, actor=city_user),
         verb)
        for model, subject, source, target, verb in earlier
    ]
    counts = {model: model.objects.count() for model, *_ in earlier}

    # The migrations ran before workflow steps became append-only; their guard is lifted here.
    with pgtrigger.ignore(
        "registry.MonitoringReportTransition:append_only",
        "registry.PoolEntryTransition:append_only",
        "subsidies.BatchTransition:append_only",
        "subsidies.ProjectTransition:append_only",
    ):
        _migration("registry", "0006_transition_record").name_verbs(django_apps, None)
        _migration("subsidies", "0004_transition_record").name_verbs(django_apps, None)

    for row, verb in made:
        row.refresh_from_db()
        assert row.verb == verb
    assert {model: model.objects.count() for model, *_ in earlier} == counts
