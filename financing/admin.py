from django.contrib import admin

from financing.models import FinancialInstitution


@admin.register(FinancialInstitution)
class FinancialInstitutionAdmin(admin.ModelAdmin):
    """Institutions are reference records an administrator keeps, with their staff accounts."""

    list_display = ("name", "branch", "kind", "region", "contact_name", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "branch")
    filter_horizontal = ("staff",)
    autocomplete_fields = ("region",)
