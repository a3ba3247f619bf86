"""The bulk helpers that imports use to read and write thousands of rows at a time."""

from gansu_sme import bulk
from registry.models import Enterprise
from tests.factories.registry import EnterpriseFactory


def test_loaded_instances_are_those_only_would_load(db, django_assert_num_queries):
    enterprise = EnterpriseFactory()
    rows = Enterprise.objects.filter(pk=enterprise.pk).values_list("id", "uscc")

    [loaded] = bulk.loaded(Enterprise, ("id", "uscc"), rows)

    [expected] = Enterprise.objects.filter(pk=enterprise.pk).only("uscc")
    assert (loaded.pk, loaded.uscc) == (expected.pk, expected.uscc)
    assert loaded.get_deferred_fields() == expected.get_deferred_fields()
    assert (loaded._state.adding, loaded._state.db) == (False, "default")
    # A deferred field is fetched when read, as for any partly loaded instance.
    with django_assert_num_queries(1):
        assert loaded.name == enterprise.name
