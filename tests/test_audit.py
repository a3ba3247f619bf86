"""Audit completeness: every row change of registry, certification and subsidy data is in the
history, whichever way it was written, and every table of those apps is tracked."""

import contextlib
import datetime
from collections import Counter

import pghistory.models
import pgtrigger
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Count

from demo.codes import make_uscc
from gansu_sme.models import TransitionRecord
from registry.choices import ImportKind, ImportStatus
from registry.imports import ENTERPRISE_COLUMNS
from registry.models import Enterprise, MonitoringReport
from registry.services import import_job_confirm, import_job_create
from subsidies.models import ReceivingAccount
from tests.factories.applications import CampaignFactory, CampaignQuotaFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import EnterpriseFactory
from tests.factories.subsidies import ReceivingAccountFactory
from tests.factories.workbooks import rows_of, sheet_upload

AUDITED_APPS = ("registry", "certification", "financing", "subsidies")
# Tables of the audited apps that the history triggers leave alone, and why. Workflow steps
# (TransitionRecord) are history themselves and append-only; checked below.
NOT_TRACKED = {
    # The upload's own bookkeeping (progress, errors); every row it writes is tracked.
    "registry.ImportJob": "bookkeeping of an upload",
    # A log of downloads, itself append-only history of who took what.
    "registry.ExportRecord": "a log of downloads",
    # Derived: recomputed from the tracked monitoring reports, and rebuilt from them nightly.
    "registry.RegionFigure": "figures derived from tracked rows",
}


def audited_models():
    for label in AUDITED_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, pghistory.models.Event):
                yield model


def tracked_models():
    return {
        model.pgh_tracked_model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and hasattr(model, "pgh_tracked_model")
    }


def triggers_of(model):
    """The names of the triggers declared on ``model`` (history and protection alike)."""
    return {trigger.name for registered, trigger in pgtrigger.registered() if registered is model}


def event_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and getattr(model, "pgh_tracked_model", None) is not None
        and model.pgh_tracked_model._meta.app_label in AUDITED_APPS
    ]


def history_rows():
    """{(tracked model, insert/update/delete): number of history rows}."""
    counts = Counter()
    for model in event_models():
        for label, count in model.objects.values_list("pgh_label").annotate(n=Count("pgh_id")):
            counts[(model.pgh_tracked_model._meta.label, label)] += count
    return counts


def model_label(name):
    """``app.Name`` of the audited model called ``name``."""
    (label,) = [m._meta.label for m in audited_models() if m.__name__ == name]
    return label


class Ledger:
    """What each step should add to the history, checked step by step."""

    def __init__(self):
        self.expected_total = 0
        self.found_total = 0

    @contextlib.contextmanager
    def step(self, name, **expected):
        """``expected``: ``Model_label=count``, e.g. ``Enterprise_update=3``."""
        before = history_rows()
        yield
        after = history_rows()
        delta = {key: after[key] - before[key] for key in after if after[key] != before[key]}
        wanted = {}
        for key, count in expected.items():
            model, label = key.rsplit("_", 1)
            wanted[(model_label(model), label)] = count
        self.expected_total += sum(wanted.values())
        self.found_total += sum(delta.values())
        assert delta == wanted, name


def test_every_table_of_the_audited_apps_is_tracked_or_append_only():
    tracked = tracked_models()
    untracked = {
        model._meta.label
        for model in audited_models()
        if model not in tracked and not issubclass(model, TransitionRecord)
    }

    assert untracked == set(NOT_TRACKED)
    for model in audited_models():
        if model in tracked:
            assert {"insert_insert", "update_update", "delete_delete"} <= triggers_of(model), (
                model._meta.label
            )
        if issubclass(model, TransitionRecord):
            assert "append_only" in triggers_of(model), model._meta.label


def test_the_history_triggers_are_installed_in_the_database(db):
    """A trigger declared but missing in the database (a migration not run, a trigger
    dropped by hand) is found: each declared trigger is asked for by name."""
    for model, trigger in pgtrigger.registered():
        if model._meta.app_label not in AUDITED_APPS:
            continue
        name = trigger.get_pgid(model)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [name, model._meta.db_table],
            )
            assert cursor.fetchone(), f"{model._meta.label}: {trigger.name} not installed"


def test_workflow_steps_are_refused_a_change_or_a_delete(db):
    from registry.models import MonitoringReportTransition

    report = MonitoringReportFactory()
    step = MonitoringReportTransition.objects.create(report=report, to_status="draft")

    for statement in (
        "UPDATE registry_monitoringreporttransition SET reason = 'x' WHERE id = %s",
        "DELETE FROM registry_monitoringreporttransition WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [step.pk])


def enterprise_rows(*names):
    return rows_of(ENTERPRISE_COLUMNS, [{
        "uscc": make_uscc("620102"),
        "name": name,
        "legal_representative": "李娜",
        "founded_on": datetime.date(2015, 3, 1),
        "region": "620102 兰州市城关区",
        "industry": "C35 专用设备制造业",
        "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子",
        "address": "兰州市城关区雁滩路1号",
        "contact_name": "王强",
        "contact_phone": "0931-8888888",
        "contact_email": "wq@example.cn",
    } for name in names])


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_way_of_writing_leaves_exactly_the_expected_history(
    county_user, media_root, tasks_run_at_once
):
    ledger = Ledger()
    firm = EnterpriseFactory()

    with ledger.step("save() of a change", Enterprise_update=1):
        firm.main_products = "立式加工中心"
        firm.save()
    with ledger.step("bulk create", Enterprise_insert=3):
        made = Enterprise.objects.bulk_create(EnterpriseFactory.build_batch(3))
    with ledger.step("bulk update", Enterprise_update=3):
        for index, one in enumerate(made):
            one.name = f"兰州批量更新{index}有限公司"
        Enterprise.objects.bulk_update(made, ["name"])
    with ledger.step("queryset update", Enterprise_update=3):
        Enterprise.objects.filter(pk__in=[one.pk for one in made]).update(niche_market="轴承")
    with ledger.step("queryset update that changes nothing"):
        Enterprise.objects.filter(pk__in=[one.pk for one in made]).update(niche_market="轴承")
    with ledger.step("raw SQL update", Enterprise_update=1):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_enterprise SET address = 'x' WHERE id = %s", [made[0].pk]
            )
    with ledger.step("delete", Enterprise_delete=1):
        made[1].delete()
    with ledger.step("raw SQL delete", Enterprise_delete=1):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM registry_enterprise WHERE id = %s", [made[2].pk])

    # Monitoring reports have statement-level triggers: one statement, many rows.
    firms = EnterpriseFactory.create_batch(2)
    with ledger.step("bulk create of reports", MonitoringReport_insert=2):
        reports = MonitoringReport.objects.bulk_create([
            MonitoringReportFactory.build(enterprise=one, created_by=county_user)
            for one in firms
        ])
    with ledger.step("queryset update of reports", MonitoringReport_update=2):
        MonitoringReport.objects.filter(pk__in=[r.pk for r in reports]).update(employees=7)
    with ledger.step("queryset delete of reports", MonitoringReport_delete=2):
        MonitoringReport.objects.filter(pk__in=[r.pk for r in reports]).delete()

    campaign = CampaignFactory(created_by=county_user)
    with ledger.step("certification: save, update, delete", CampaignQuota_insert=1,
                     CampaignQuota_update=1, CampaignQuota_delete=1, Campaign_update=1):
        quota = CampaignQuotaFactory(campaign=campaign)
        type(quota).objects.filter(pk=quota.pk).update(quota=9)
        quota.delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE certification_campaign SET title = title || '（修订）' WHERE id = %s",
                [campaign.pk],
            )

    account = ReceivingAccountFactory(enterprise=firm, recorded_by=county_user)
    with ledger.step("subsidies: raw SQL and queryset", ReceivingAccount_update=2):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE subsidies_receivingaccount SET bank_name = '中国银行' WHERE id = %s",
                [account.pk],
            )
        ReceivingAccount.objects.filter(pk=account.pk).update(account_name="改名")

    with ledger.step("the importer", Enterprise_insert=2):
        job = import_job_create(
            actor=county_user, kind=ImportKind.ENTERPRISES,
            upload=sheet_upload(ENTERPRISE_COLUMNS, enterprise_rows("导入甲公司", "导入乙公司")),
        )
        assert job.status == ImportStatus.READY, job.errors
        import_job_confirm(actor=county_user, job=job)

    assert ledger.found_total == ledger.expected_total == 27



# --- who read contacts, bank accounts and award lists ------------------------------------------


@pytest.fixture
def finance_user(db):
    from accounts.choices import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.registry import region

    return UserFactory(username="finance", role=Role.FINANCE_OFFICER, region=region("620000"))


def views_logged():
    from oplog.choices import Kind
    from oplog.models import Operation

    return list(Operation.objects.filter(kind=Kind.VIEW).order_by("id"))


def sensitive_pages():
    """(URL name, its arguments from the objects made, the user, data, object type)."""
    return [
        ("registry:enterprise-detail", "firm", "county", "contacts", "registry.Enterprise"),
        ("subsidies:entitlement-list", None, "finance", "awards", ""),
        ("subsidies:entitlement-detail", "award", "finance", "awards", "subsidies.Entitlement"),
        ("subsidies:ledger", None, "finance", "awards", ""),
        ("subsidies:city-reward-list", None, "finance", "awards", ""),
        ("subsidies:account-list", None, "finance", "bank_accounts", ""),
        ("subsidies:account-detail", "account", "finance", "bank_accounts",
         "subsidies.ReceivingAccount"),
        ("subsidies:batch-detail", "batch", "finance", "bank_accounts", "subsidies.PaymentBatch"),
        ("registry-api:enterprise-list", None, "county", "contacts", ""),
        ("registry-api:enterprise-detail", "firm", "county", "contacts", "registry.Enterprise"),
        ("subsidies-api:entitlement-list", None, "finance", "awards", ""),
        ("subsidies-api:entitlement-detail", "award", "finance", "awards",
         "subsidies.Entitlement"),
        ("subsidies-api:ledger-list", None, "finance", "awards", ""),
    ]


@pytest.mark.parametrize(("name", "subject", "who", "data", "object_type"), sensitive_pages())
def test_reading_contacts_bank_accounts_and_awards_is_logged(
    client, as_user, county_user, finance_user, name, subject, who, data, object_type
):
    from django.urls import reverse

    from tests.factories.subsidies import (
        BatchItemFactory,
        EntitlementFactory,
        ReceivingAccountFactory,
    )

    firm = EnterpriseFactory()
    award = EntitlementFactory(enterprise=firm)
    objects = {
        "firm": (firm, "uscc"),
        "award": (award, "pk"),
        "account": (ReceivingAccountFactory(enterprise=firm), "pk"),
        "batch": (BatchItemFactory(entitlement=award).batch, "pk"),
    }
    user = {"county": county_user, "finance": finance_user}[who]
    kwargs, object_id = {}, ""
    if subject:
        obj, key = objects[subject]
        object_id = str(getattr(obj, key))
        kwargs = {"uscc" if key == "uscc" else "pk": object_id}
    url = reverse(name, kwargs=kwargs)
    if name.split(":")[0].endswith("-api"):
        response = as_user(user).get(url, {"year": "2026"} if "entitlement" in name else {})
    else:
        client.force_login(user)
        response = client.get(url)

    assert response.status_code == 200
    (logged,) = views_logged()
    assert (logged.user, logged.details["data"], logged.object_type, logged.object_id) == (
        user, data, object_type, object_id,
    )
    assert logged.details["view"] == name
    assert logged.path.startswith(url)


def test_a_refused_or_missing_page_and_an_ordinary_page_log_no_reading(
    client, county_user, expert_user
):
    from django.urls import reverse

    client.force_login(expert_user)
    client.get(reverse("subsidies:account-list"))
    client.force_login(county_user)
    client.get(reverse("registry:enterprise-detail", kwargs={"uscc": "91620102000000000X"}))
    client.get(reverse("registry:enterprise-list"))

    assert views_logged() == []


def test_the_operations_log_names_what_was_read(client, county_user, auditor_user):
    from django.urls import reverse

    firm = EnterpriseFactory()
    client.force_login(county_user)
    client.get(reverse("registry:enterprise-detail", kwargs={"uscc": firm.uscc}))
    client.force_login(auditor_user)

    response = client.get(reverse("operation-list"), {"kind": "view"})

    assert response.status_code == 200
    assert "enterprise contacts" in response.content.decode() or "企业联系人" in (
        response.content.decode()
    )
