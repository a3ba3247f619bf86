"""Read-mostly admin: money moves only through the services, so amounts are read-only here."""

from django.contrib import admin

from subsidies.models import (
    Allocation,
    Budget,
    Entitlement,
    PaymentBatch,
    Program,
    ProgramPair,
)
from subsidies.services.common import is_finance
from subsidies.services.programs import (
    PROGRAM_EDITABLE_FIELDS,
    program_pair_set,
    program_update,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    """Programs are seeded data: edited through the service (finance officers, amounts in
    yuan with two decimals, attributed), never added or deleted here."""

    list_display = ("name", "kind", "amount", "once_per_firm", "legal_basis", "is_active")
    readonly_fields = ("kind", "code", "once_per_firm", "payee")

    def save_model(self, request, obj, form, change):
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data if name in PROGRAM_EDITABLE_FIELDS
        }
        program_update(actor=request.user, program=obj, **changes)

    def has_change_permission(self, request, obj=None):
        return is_finance(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramPair)
class ProgramPairAdmin(admin.ModelAdmin):
    """Where the province says whether two awards to one firm are both paid (the plan's
    default) or only the highest (就高不重复); saved through the service, so it is attributed."""

    list_display = ("first", "second", "highest_only")
    list_editable = ("highest_only",)

    def get_readonly_fields(self, request, obj=None):
        return ("first", "second") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        pair = program_pair_set(
            actor=request.user, programs=(obj.first, obj.second), highest_only=obj.highest_only
        )
        obj.pk = pair.pk

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("year", "funding_source", "amount", "allocated")


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("budget", "city", "amount", "reserved", "committed", "paid")


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ("program", "payee_name", "year", "amount", "status")
    list_filter = ("status", "program", "year")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "created_by", "approved_by", "paid_on")
