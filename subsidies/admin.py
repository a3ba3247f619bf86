"""Read-mostly admin: money moves only through the services, so amounts are read-only here."""

from django.contrib import admin

from subsidies.models import Allocation, Budget, Entitlement, PaymentBatch, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "amount", "once_per_firm", "legal_basis", "is_active")
    readonly_fields = ("kind", "code", "once_per_firm", "payee")


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
