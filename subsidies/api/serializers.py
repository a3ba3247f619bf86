from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from subsidies.choices import FundingSource
from subsidies.models import (
    MONEY,
    Allocation,
    BatchItem,
    Budget,
    Entitlement,
    PaymentBatch,
    Program,
)
from subsidies.services.programs import PROGRAM_EDITABLE_FIELDS


def money_field(**kwargs):
    # Amounts travel as strings ("300000.00"): never through a binary float.
    return serializers.DecimalField(**MONEY, coerce_to_string=True, **kwargs)


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "code", "name", "kind", "payee", "amount", "once_per_firm",
                  "legal_basis", "first_year", "last_year", "is_active", "updated_at"]
        read_only_fields = [f for f in fields if f not in PROGRAM_EDITABLE_FIELDS]


class AllocationSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.code", read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)
    remaining = money_field(read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "budget", "city", "city_name", "amount", "reserved", "committed",
                  "paid", "remaining", "updated_at"]
        read_only_fields = fields


class AllocationSetSerializer(serializers.Serializer):
    budget = serializers.PrimaryKeyRelatedField(queryset=Budget.objects.all())
    city = serializers.SlugRelatedField(
        slug_field="code", queryset=Allocation._meta.get_field("city").related_model.objects.all(),
        help_text=_("Division code of a prefecture unit (e.g. 620100, LZXQ)."),
    )
    amount = money_field(min_value=0)


class BudgetSerializer(serializers.ModelSerializer):
    unallocated = money_field(read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "year", "funding_source", "amount", "allocated", "unallocated",
                  "document", "created_at"]
        read_only_fields = ["id", "allocated", "unallocated", "created_at"]


class BudgetCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = money_field(min_value=0)
    document = serializers.CharField(required=False, allow_blank=True, max_length=100)


class EntitlementSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True)
    city = serializers.CharField(source="city.code", read_only=True)
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True, default=None)
    budget = serializers.IntegerField(source="allocation.budget_id", read_only=True,
                                      default=None)
    in_open_batch = serializers.BooleanField(read_only=True)

    class Meta:
        model = Entitlement
        fields = ["id", "program", "program_name", "year", "enterprise", "city", "payee_name",
                  "payee_code", "purpose", "full_amount", "amount", "offset_note", "status",
                  "budget", "in_open_batch", "approved_at", "paid_on", "recovery_amount",
                  "recovered_amount", "cancel_reason", "created_at"]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer):
    budget = serializers.PrimaryKeyRelatedField(queryset=Budget.objects.all())


class SubsidyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class RecoverySerializer(serializers.Serializer):
    amount = money_field(min_value=0)
    reference = serializers.CharField(max_length=100)


class BatchItemSerializer(serializers.ModelSerializer):
    payee_name = serializers.CharField(source="entitlement.payee_name", read_only=True)

    class Meta:
        model = BatchItem
        fields = ["entitlement", "payee_name", "amount", "is_open"]
        read_only_fields = fields


class PaymentBatchSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True,
                                        default=None)
    total = money_field(read_only=True)

    class Meta:
        model = PaymentBatch
        fields = ["id", "title", "status", "total", "created_by", "created_at", "approved_by",
                  "approved_at", "bank_reference", "paid_on", "cancel_reason"]
        read_only_fields = fields


class PaymentBatchDetailSerializer(PaymentBatchSerializer):
    items = BatchItemSerializer(many=True, read_only=True)

    class Meta(PaymentBatchSerializer.Meta):
        fields = [*PaymentBatchSerializer.Meta.fields, "items"]
        read_only_fields = fields


class BatchCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class EntitlementIdsSerializer(serializers.Serializer):
    entitlements = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class PaySerializer(serializers.Serializer):
    bank_reference = serializers.CharField(max_length=100)
    paid_on = serializers.DateField()


class LedgerRowSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program__name")
    year = serializers.IntegerField()
    city = serializers.CharField(source="city__code")
    city_name = serializers.CharField(source="city__name")
    entitled = money_field()
    approved = money_field()
    in_batch = money_field()
    paid = money_field()
    recovered = money_field()
    remaining = money_field()
