from django.contrib import admin

from .models import Evaluation, Expert, ExpertRelationship, RuleItem, RuleSet

# What the province may reword in the admin; thresholds, bands and points arrive only as new
# rule-set versions (data migrations), so a past evaluation is never re-read under new rules.
EDITABLE_ITEM_FIELDS = ("title", "title_en", "description")


class RuleItemInline(admin.StackedInline):
    model = RuleItem
    extra = 0
    can_delete = False
    fields = (
        "code",
        "position",
        "kind",
        "mode",
        "group",
        *EDITABLE_ITEM_FIELDS,
        "metric",
        "max_points",
        "bands",
        "alternatives",
        "criteria",
        "waives",
    )
    readonly_fields = tuple(f for f in fields if f not in EDITABLE_ITEM_FIELDS)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Rule sets are switched on or off and their items reworded here, e.g. the province's
    own 特色化 indicators (专精特新 indicator 9), which reviewers then score by hand."""

    list_display = ("code", "kind", "title", "effective_from", "pass_mark", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "title")
    readonly_fields = (
        "code",
        "kind",
        "effective_from",
        "pass_mark",
        "group_minimums",
        "created_at",
        "updated_at",
    )
    inlines = [RuleItemInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-only: evaluations are written only by the evaluation service."""

    list_display = (
        "enterprise",
        "ruleset_code",
        "figures_year",
        "outcome",
        "total_points",
        "evaluated_at",
        "evaluated_by",
    )
    list_filter = ("outcome", "ruleset_code")
    list_select_related = ("enterprise", "evaluated_by")
    search_fields = ("enterprise__name", "enterprise__uscc")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExpertRelationshipInline(admin.TabularInline):
    model = ExpertRelationship
    extra = 0
    autocomplete_fields = ("enterprise",)
    readonly_fields = ("declared_at",)


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The expert pool; experts are added on the province's page, which creates their account.
    Here an administrator records declared relationships and corrects records."""

    list_display = ("name", "title", "employer_name", "employer_uscc", "region", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("region",)
    search_fields = ("name", "employer_name", "employer_uscc", "user__username")
    autocomplete_fields = ("user",)
    filter_horizontal = ("industries",)
    inlines = [ExpertRelationshipInline]

    def has_delete_permission(self, request, obj=None):
        # Sheets and draws name the expert; leaving the pool is is_active.
        return False


@admin.register(ExpertRelationship)
class ExpertRelationshipAdmin(admin.ModelAdmin):
    list_display = ("expert", "enterprise", "description", "declared_at")
    list_select_related = ("expert", "enterprise")
    search_fields = ("expert__name", "enterprise__name", "enterprise__uscc")
    autocomplete_fields = ("expert", "enterprise")
