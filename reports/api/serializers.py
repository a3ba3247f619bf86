from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.models import Notification, Report


class ReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    period_label = serializers.CharField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "kind", "year", "period", "period_label", "region", "region_name",
            "generated_at", "download",
        ]

    def get_download(self, report) -> str:
        request = self.context.get("request")
        path = reverse("reports-api:report-download", args=[report.pk])
        return request.build_absolute_uri(path) if request else path


class ReportDetailSerializer(ReportSerializer):
    data = serializers.JSONField(read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "data"]


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(
        source="message", read_only=True, help_text=_("The reminder, in the request's language.")
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at"]
        read_only_fields = fields
