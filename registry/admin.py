from django.contrib import admin

from .models import Enterprise, Industry, IndustryClass, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_standard")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "section", "section_name")
    search_fields = ("code", "name")


@admin.register(IndustryClass)
class IndustryClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group_code", "group_name", "division")
    list_select_related = ("division",)
    search_fields = ("code", "name", "group_name")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only in the admin: enterprise records change only through the registry's services."""

    list_display = ("uscc", "name", "region", "industry", "is_active", "updated_at")
    list_filter = ("is_active", "region__parent")
    list_select_related = ("region", "industry")
    search_fields = ("uscc", "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
