from django.contrib import admin

from .models import OfficialDay


@admin.register(OfficialDay)
class OfficialDayAdmin(admin.ModelAdmin):
    """The State Council's yearly holiday notice, day by day, as an administrator enters it."""

    list_display = ("date", "is_working_day", "holiday", "notice")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("notice", "holiday")
