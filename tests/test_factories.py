"""One factory per model (tests/factories), each making a row on its own."""

import importlib
import pkgutil

import factory
import pytest
from django.apps import apps

import tests.factories

PROJECT_APPS = ("accounts", "registry", "certification", "subsidies", "reports")
# Reference data loaded by data migrations (regions, industries, rule sets, programs, number
# sequences): tests read the migrated rows instead of inventing their own.
REFERENCE_DATA = {
    "registry.Region", "registry.Industry", "certification.RuleSet", "certification.RuleItem",
    "subsidies.Program", "subsidies.ProgramPair", "certification.CertificateSequence",
    "registry.IndustryClass", "registry.Plan", "registry.PlanTarget",
}


def _factories():
    for info in pkgutil.iter_modules(tests.factories.__path__):
        module = importlib.import_module(f"tests.factories.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
                and value.__module__ == module.__name__
            ):
                yield value


FACTORIES = sorted(_factories(), key=lambda f: f.__name__)


def _needs_a_factory(model):
    label = model._meta.label
    # Transition records are written by the workflow services alone; pghistory's event
    # models by database triggers; the kept region figures by the figure services alone,
    # from the reports (a factory of them would make figures no report backs).
    return not (
        label in REFERENCE_DATA
        or label == "registry.RegionFigure"
        or model.__name__.endswith("Transition")
        or model._meta.app_label not in PROJECT_APPS
        or model.__module__.startswith("pghistory")
        or hasattr(model, "pgh_obj")
        or model._meta.proxy
    )


def test_every_model_has_one_factory():
    models = {model for model in apps.get_models() if _needs_a_factory(model)}
    made = [f._meta.model for f in FACTORIES]
    assert sorted(m._meta.label for m in models - set(made)) == []
    duplicates = {m._meta.label for m in made if made.count(m) > 1}
    # Two factories of monitoring reports: any report, and a verified annual one.
    assert duplicates <= {"registry.MonitoringReport"}


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_factory_makes_a_row_on_its_own(model_factory):
    row = model_factory()
    assert type(row).objects.filter(pk=row.pk).exists()
