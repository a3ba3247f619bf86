"""API shapes of the expert panel: experts, score sheets, the draw and the decision inputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certification.api.serializers.applications import TransitionSerializer
from certification.models import Application, Expert, ExpertAssignment, ExpertDraw
from certification.selectors.experts import scores_visible
from registry.models import Industry, Region

SEED_MAX_LENGTH = 64


class ExpertSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    industries = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True,
        help_text=_("GB/T 4754 division codes of the fields of expertise."),
    )

    class Meta:
        model = Expert
        fields = [
            "id", "username", "name", "title", "employer_name", "employer_uscc", "region",
            "region_name", "industries", "is_active",
        ]


class ExpertUpdateSerializer(serializers.Serializer):
    """Fields the province may change; absent fields stay as they are."""

    name = serializers.CharField(max_length=50, required=False)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer_name = serializers.CharField(max_length=200, required=False)
    employer_uscc = serializers.CharField(max_length=18, required=False, allow_blank=True)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False
    )
    industries = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), many=True, required=False
    )
    is_active = serializers.BooleanField(required=False)


class ExpertCreateSerializer(ExpertUpdateSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False,
        help_text=_(
            "Initial password, checked by the password rules; the expert replaces it at the "
            "first sign-in."
        ),
    )
    name = serializers.CharField(max_length=50)
    employer_name = serializers.CharField(max_length=200)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    is_active = None


class AssignmentSerializer(serializers.ModelSerializer):
    """A score sheet. ``scores`` and ``total`` are null for anyone but the sheet's expert until
    every sheet of the panel not recused is submitted; the status is always shown."""

    enterprise = serializers.CharField(source="application.enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="application.enterprise.name", read_only=True)
    campaign = serializers.IntegerField(source="application.campaign_id", read_only=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    scores = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    panel_complete = serializers.SerializerMethodField()

    class Meta:
        model = ExpertAssignment
        fields = [
            "id", "application", "enterprise", "enterprise_name", "campaign", "expert",
            "expert_name", "status", "declaration", "declared_at", "scores", "total", "comment",
            "submitted_at", "panel_complete",
        ]

    def _visible(self, sheet):
        return scores_visible(sheet, self.context["request"].user)

    def get_scores(self, sheet) -> dict | None:
        return sheet.scores if self._visible(sheet) else None

    def get_total(self, sheet) -> str | None:
        if sheet.total is None or not self._visible(sheet):
            return None
        return str(sheet.total)

    def get_panel_complete(self, sheet) -> bool:
        return not sheet.panel_open


class DeclarationInput(serializers.Serializer):
    no_conflict = serializers.BooleanField(
        help_text=_("True: no conflict, the file opens. False: recuse, with the declaration.")
    )
    declaration = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DictField(),
        help_text=_('{"I4": {"points": "3.5", "evidence": "…"}}; points null removes an entry.'),
    )
    comment = serializers.CharField(required=False, allow_blank=True)


class ExpertDrawInput(TransitionSerializer):
    count = serializers.IntegerField(
        required=False, min_value=1, max_value=50,
        help_text=_("Default: the campaign's experts per application, or the recusals to "
                    "replace."),
    )
    seed = serializers.CharField(
        required=False, allow_blank=True, max_length=SEED_MAX_LENGTH,
        help_text=_("Default: a fresh random seed, recorded with the draw."),
    )


class ExpertDrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertDraw
        fields = [
            "id", "application", "seed", "count", "candidates", "excluded", "drawn", "drawn_by",
            "drawn_at",
        ]


class DecisionInput(serializers.Serializer):
    score = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100, required=False,
        allow_null=True, help_text=_("Approval only; default the panel score."),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text=_("Required to reject, and to depart from the panel."),
    )


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = [
            "id", "status", "panel_score", "panel_spread", "panel_spread_flagged",
            "decision_score", "departure_reason",
        ]
