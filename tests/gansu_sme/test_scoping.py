"""The one scoping rule sits in base classes: the queryset's ``within``, the API viewset base
and the region filter every FilterSet shares."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import viewsets

from gansu_sme.api.viewsets import ScopedViewSet
from gansu_sme.filters import RegionFilter
from registry.models import Enterprise, Region
from tests.factories.registry import region


def _api_views(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            yield route, getattr(pattern.callback, "cls", None)


def test_every_api_viewset_inherits_the_scoped_base():
    found = {
        cls for _route, cls in _api_views(get_resolver().url_patterns)
        if cls is not None and issubclass(cls, viewsets.ViewSetMixin)
    }
    assert len(found) >= 20
    assert [cls.__name__ for cls in found if not issubclass(cls, ScopedViewSet)] == []


def test_a_viewset_cannot_replace_the_scoped_queryset():
    with pytest.raises(TypeError, match="get_queryset"):

        class Forgetful(ScopedViewSet):
            def get_queryset(self):
                return Enterprise.objects.all()


def test_every_region_filter_is_the_shared_one():
    from certification.filtersets.applications import ApplicationFilterSet
    from certification.filtersets.certificates import CertificateFilterSet
    from registry.filtersets import (
        EnterpriseFilterSet,
        MonitoringReportFilterSet,
        PoolEntryFilterSet,
        TargetFilterSet,
    )
    from reports.filtersets import ReportFilterSet
    from subsidies.filtersets import EntitlementFilterSet

    for filterset in (
        ApplicationFilterSet, CertificateFilterSet, EnterpriseFilterSet,
        MonitoringReportFilterSet, PoolEntryFilterSet, TargetFilterSet, ReportFilterSet,
        EntitlementFilterSet,
    ):
        assert type(filterset.base_filters["region"]) is RegionFilter, filterset


@pytest.mark.django_db
def test_within_takes_the_region_and_every_region_below_it(enterprise, tianshui_enterprise):
    lanzhou = Region.objects.get(code="620100")
    assert list(Enterprise.objects.within(lanzhou.path)) == [enterprise]
    assert set(Enterprise.objects.within(region("620000").path)) == {
        enterprise, tianshui_enterprise
    }


@pytest.mark.django_db
def test_visible_to_is_within_the_users_region(city_user, enterprise, tianshui_enterprise):
    assert list(Enterprise.objects.visible_to(city_user)) == list(
        Enterprise.objects.within(city_user.region.path)
    )
