from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.choices import NoticePhase
from certification.models import Application, Notice, Objection
from certification.selectors.notices import FirmOutcome, firm_outcome
from certification.services.notices import notice_is_open


def region_label(region):
    """兰州市城关区 for a county, 兰州新区 for a prefecture unit without counties."""
    parent = region.parent
    if parent is not None and region.level == "county":
        return f"{parent.name}{region.name}"
    return region.name


class NoticeFirmSerializer(serializers.ModelSerializer):
    """What the public reads of a firm in a notice: nothing private."""

    application = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    region = serializers.SerializerMethodField()
    industry = serializers.CharField(source="enterprise.industry.name")
    main_products = serializers.CharField(source="enterprise.main_products")
    outcome = serializers.SerializerMethodField(
        help_text=_("Where the firm stands: still in notice, or how its notice ended.")
    )
    outcome_display = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "application", "name", "uscc", "region", "industry", "main_products", "outcome",
            "outcome_display",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_region(self, application):
        return region_label(application.enterprise.region)

    @extend_schema_field(serializers.ChoiceField(choices=FirmOutcome.choices))
    def get_outcome(self, application):
        return firm_outcome(application).value

    @extend_schema_field(serializers.CharField())
    def get_outcome_display(self, application):
        return str(firm_outcome(application).label)


class NoticeSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    campaign_kind = serializers.CharField(source="campaign.kind", read_only=True)
    is_open = serializers.SerializerMethodField(
        help_text=_("Whether objections may be filed today.")
    )
    firms = NoticeFirmSerializer(many=True, read_only=True)
    phase = serializers.ChoiceField(
        choices=NoticePhase.choices, read_only=True,
        help_text=_("The status read against the dates: `running` while in public notice."),
    )

    class Meta:
        model = Notice
        fields = [
            "id", "title", "body", "campaign_title", "campaign_kind", "issuer", "contact_person",
            "telephone", "published_on", "starts_on", "ends_on", "status", "phase", "is_open",
            "firms",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, notice):
        return notice_is_open(notice)


class ObjectionFileSerializer(serializers.Serializer):
    """An objection to a firm of an open notice (异议); name and contact are kept private."""

    notice = serializers.IntegerField(label=_("notice"))
    application = serializers.IntegerField(
        label=_("firm"),
        help_text=_(
            "`application` of the firm as the notice lists it; only firms whose `outcome` is "
            "`in_notice`."
        ),
    )
    name = serializers.CharField(label=_("your name"), max_length=50)
    contact = serializers.CharField(label=_("contact"), max_length=100)
    text = serializers.CharField(label=_("objection"), max_length=5000)


class ObjectionSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="application.enterprise.name", read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id", "notice", "application", "enterprise_name", "name", "contact", "text",
            "filed_at", "status", "decided_by", "decided_at", "decision_reason",
        ]
        read_only_fields = fields


class ObjectionFiledSerializer(serializers.ModelSerializer):
    """What the filer gets back: a receipt, not the file."""

    class Meta:
        model = Objection
        fields = ["id", "notice", "application", "filed_at", "status"]
        read_only_fields = fields


class RulingSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reasons"), max_length=5000)
