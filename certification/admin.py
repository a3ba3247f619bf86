import pghistory
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from certification import rubric

from .models import Evaluation, Expert, ExpertRelationship, RuleItem, RuleSet

# What the province may reword in a rule set that campaigns or evaluations already use;
# thresholds, tiers and points change only in a new version (the action below), so a past
# evaluation is never re-read under new rules.
EDITABLE_ITEM_FIELDS = ("title", "title_en", "description", "description_en")
ITEM_FIELDS = (
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
RULESET_RULE_FIELDS = ("kind", "effective_from", "pass_mark", "group_minimums")


def in_use(ruleset):
    """Whether a campaign or an evaluation names the rule set: its rules are then fixed."""
    return ruleset is not None and ruleset.pk is not None and (
        ruleset.campaigns.exists() or ruleset.evaluations.exists()
    )


class RuleItemInline(admin.StackedInline):
    model = RuleItem
    extra = 0
    fields = ITEM_FIELDS

    def get_readonly_fields(self, request, obj=None):
        if in_use(obj):
            return tuple(f for f in ITEM_FIELDS if f not in EDITABLE_ITEM_FIELDS)
        return ()

    def has_add_permission(self, request, obj=None):
        return obj is not None and not in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not in_use(obj)


def _version_code(ruleset):
    stamp = timezone.localdate().strftime("%Y%m%d")
    code, n = f"{ruleset.code[:28]}-{stamp}", 1
    while RuleSet.objects.filter(code=code).exists():
        n += 1
        code = f"{ruleset.code[:28]}-{stamp}-{n}"
    return code


@transaction.atomic
def copy_as_new_version(ruleset, user):
    """A copy of ``ruleset`` and its items under a new code, inactive until the province has
    edited and switched it on; effective from today."""
    items = list(ruleset.items.all())
    with pghistory.context(user=user.pk):
        copy = RuleSet.objects.create(
            code=_version_code(ruleset),
            kind=ruleset.kind,
            title=ruleset.title,
            title_en=ruleset.title_en,
            legal_basis=ruleset.legal_basis,
            effective_from=timezone.localdate(),
            pass_mark=ruleset.pass_mark,
            group_minimums=ruleset.group_minimums,
            notes=ruleset.notes,
            is_active=False,
        )
        for item in items:
            item.pk = None
            item.ruleset = copy
            item.save()
    return copy


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Rule sets are versioned here: "copy as a new version" makes an inactive copy whose
    thresholds, tiers, points and items (e.g. the province's own 特色化 indicators) can all be
    edited until a campaign or an evaluation uses it; a version in use only takes rewording.
    A version switched on must pass the rule-set checks, or it is kept off."""

    list_display = (
        "code", "kind", "title", "effective_from", "effective_until", "pass_mark", "is_active"
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code", "title")
    inlines = [RuleItemInline]
    actions = ["make_new_version"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("code", "created_at", "updated_at")
        return (*fixed, *RULESET_RULE_FIELDS) if in_use(obj) else fixed

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Copy as a new version"))
    def make_new_version(self, request, queryset):
        for ruleset in queryset:
            copy = copy_as_new_version(ruleset, request.user)
            url = reverse("admin:certification_ruleset_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    _("New version {code} created, inactive: edit it, then switch it on."),
                    code=format_html('<a href="{}">{}</a>', url, copy.code),
                ),
                messages.SUCCESS,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        ruleset = form.instance
        if not ruleset.is_active:
            return
        errors = rubric.rules_errors(ruleset.as_rules())
        if errors:
            RuleSet.objects.filter(pk=ruleset.pk).update(is_active=False)
            self.message_user(
                request,
                _("The rule set was kept inactive: %(errors)s") % {"errors": "; ".join(errors)},
                messages.ERROR,
            )


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
