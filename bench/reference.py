"""Baselines for the enterprise API page: a plain DRF ModelViewSet with page numbers, and raw SQL
with json.dumps, both answering the same filters with the same fields. Mounted only by
bench.urls, next to the product's URLs, so all three go through the same middleware."""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from registry.choices import RegionLevel
from registry.models import Enterprise, Industry, IndustryClass, Region

FIELDS = [
    "uscc", "name", "legal_representative", "founded_on", "region", "region_name",
    "prefecture_name", "industry", "industry_name", "industry_class", "industry_class_name",
    "main_products", "niche_market", "address", "contact_name", "contact_phone",
    "contact_email", "is_active", "size_class", "is_above_scale", "figures_year",
    "created_at", "updated_at",
]


class ReferenceEnterpriseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    prefecture_name = serializers.SerializerMethodField()
    industry = serializers.CharField(source="industry.code")
    industry_name = serializers.CharField(source="industry.name")
    industry_class = serializers.CharField(source="industry_class.code", default=None)
    industry_class_name = serializers.CharField(source="industry_class.name", default=None)

    class Meta:
        model = Enterprise
        fields = FIELDS

    def get_prefecture_name(self, enterprise):
        region = enterprise.region
        return (region if region.level == RegionLevel.PREFECTURE else region.parent).name


class Pages(PageNumberPagination):
    page_size = 50


class ReferenceFilter(DjangoFilterBackend):
    """The region filter by path prefix, the industry by section letter: what the product's
    FilterSet does for a province account, without its scoping."""

    def filter_queryset(self, request, queryset, view):
        region = request.query_params.get("region")
        if region:
            prefix = Region.objects.get(code=region).path
            queryset = queryset.filter(region__path__startswith=prefix)
        industry = request.query_params.get("industry")
        if industry:
            queryset = queryset.filter(industry__section=industry)
        return queryset


class ReferenceEnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Enterprise.objects.select_related("region__parent", "industry", "industry_class")
    serializer_class = ReferenceEnterpriseSerializer
    pagination_class = Pages
    filter_backends = [ReferenceFilter, OrderingFilter]
    ordering_fields = ["name", "uscc", "updated_at", "founded_on"]
    ordering = ["uscc"]


RAW_SQL = """
SELECT e.uscc, e.name, e.legal_representative, e.founded_on, r.code, r.name,
       CASE WHEN r.level = %s THEN r.name ELSE p.name END, i.code, i.name, c.code, c.name,
       e.main_products, e.niche_market, e.address, e.contact_name, e.contact_phone, e.contact_email,
       e.is_active, e.size_class, e.is_above_scale, e.figures_year, e.created_at, e.updated_at
FROM {enterprise} e
JOIN {region} r ON r.id = e.region_id
LEFT JOIN {region} p ON p.id = r.parent_id
JOIN {industry} i ON i.id = e.industry_id
LEFT JOIN {industry_class} c ON c.id = e.industry_class_id
WHERE r.path LIKE %s AND i.section = %s
ORDER BY {order}, e.id
LIMIT 50
"""


def raw_enterprises(request):
    prefix = Region.objects.get(code=request.GET["region"]).path
    order = request.GET.get("ordering", "uscc")
    column = "e." + order.lstrip("-") + (" DESC" if order.startswith("-") else "")
    if order.lstrip("-") not in ("name", "uscc", "updated_at", "founded_on"):
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        sql = RAW_SQL.format(
            order=column, enterprise=Enterprise._meta.db_table, region=Region._meta.db_table,
            industry=Industry._meta.db_table, industry_class=IndustryClass._meta.db_table,
        )
        cursor.execute(sql, [RegionLevel.PREFECTURE, prefix + "%", request.GET["industry"]])
        rows = [dict(zip(FIELDS, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(
        json.dumps({"results": rows}, default=str, ensure_ascii=False),
        content_type="application/json",
    )


list_view = ReferenceEnterpriseViewSet.as_view({"get": "list"})

urlpatterns = [
    path("bench/reference/enterprises/", list_view),
    path("bench/raw/enterprises/", raw_enterprises),
    path("", include("gansu_sme.urls")),
]
