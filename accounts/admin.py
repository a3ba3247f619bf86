from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "region", "expires_on", "is_active")
    list_filter = ("role", "is_active", "region__level")
    list_select_related = ("region",)
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("region",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and region"), {"fields": ("full_name", "role", "region", "expires_on")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and region"), {"fields": ("full_name", "role", "region", "expires_on")}),
    )
