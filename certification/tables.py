"""How evaluations and the certification lists read on the pages: one place for labels, order
and the lists' column specs."""

from dataclasses import dataclass

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from certification.choices import ItemKind, Verdict
from certification.rubric import sheet
from gansu_sme import formatting, lists

VERDICT_BADGE = {
    Verdict.PASS: "ok",
    Verdict.FAIL: "fail",
    Verdict.SCORED: "scored",
    Verdict.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class ItemRow:
    code: str
    title: str
    kind: str
    verdict: str
    verdict_label: str
    badge: str
    points: str
    max_points: str
    band: str
    reasons: list
    figures: list


def precheck_rows(results, summary, items=None):
    """Rows of the pre-check table from an evaluation's ``results`` and ``summary`` JSON:
    code, title, verdict, points, the reasons given for the item and the figures used, worded
    as the expert's sheet words them (``items``: the rule items by code, for the tiers)."""
    items = items or {}
    reasons = {}
    for reason in summary.get("reasons", []):
        reasons.setdefault(reason.get("item"), []).append(
            formatting.in_language(reason["zh"], reason["en"])
        )
    rows = []
    for result in results:
        verdict = result["verdict"]
        rows.append(
            ItemRow(
                code=result["code"],
                title=formatting.in_language(result["title"], result["title_en"]),
                kind=ItemKind(result["kind"]).label,
                verdict=verdict,
                verdict_label=Verdict(verdict).label,
                badge=VERDICT_BADGE[verdict],
                points=result.get("points") or "",
                max_points=result.get("max_points") or "",
                band=sheet.reached_tier(items.get(result["code"]), result),
                reasons=reasons.get(result["code"], []),
                figures=sheet.figure_rows(result.get("figures")),
            )
        )
    return rows


def summary_reasons(summary):
    """The reasons about the outcome as a whole (not tied to one item)."""
    return [
        formatting.in_language(reason["zh"], reason["en"])
        for reason in summary.get("reasons", [])
        if not reason.get("item")
    ]


# --- column specs of the certification lists --------------------------------------------------

REGION_CELL = (
    '{% if value.level == "county" %}{{ value.parent.name }} {% endif %}{{ value.name }}'
)
NOT_SET = "—"


class ApplicationTable(lists.Table):
    enterprise = lists.TemplateColumn(
        '<a href="{% url \'certification:application-detail\' record.pk %}" '
        'data-application="{{ record.pk }}">{{ record.enterprise.name }}</a><br>'
        '<span class="mono small muted">{{ record.enterprise.uscc }}</span>',
        verbose_name=_("Enterprise"),
    )
    region = lists.TemplateColumn(
        REGION_CELL, accessor="enterprise__region", verbose_name=_("Region")
    )
    campaign = tables.Column(accessor="campaign__title", verbose_name=_("Campaign"))
    status = lists.TemplateColumn(
        '{% include "certification/applications/partials/status_badge.html" '
        "with application=record %}",
        verbose_name=_("Status"),
    )
    stage_due = tables.DateColumn(
        "Y-m-d", verbose_name=_("Stage due"), attrs={"td": {"class": "nowrap"}}
    )
    evaluation = lists.TemplateColumn(
        "{{ value.get_outcome_display }} · {{ value.total_points }}",
        verbose_name=_("Pre-check"),
    )
    status_changed_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name=_("Status changed at"), attrs={"td": {"class": "nowrap"}}
    )

    class Meta(lists.Table.Meta):
        row_attrs = {
            "class": lambda record: "application-row is-overdue"
            if record.overdue else "application-row"
        }
        empty_text = _("No application matches these filters.")


class CampaignTable(lists.Table):
    title = lists.TemplateColumn(
        '<a href="{% url \'certification:campaign-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Title"),
    )
    year = tables.Column(verbose_name=_("Year"))
    kind = tables.Column(verbose_name=_("Kind"))
    window = lists.TemplateColumn(
        '{{ record.opens_on|date:"Y-m-d" }} – {{ record.closes_on|date:"Y-m-d" }}',
        verbose_name=_("Filing window"), empty_values=(), attrs={"td": {"class": "nowrap"}},
    )
    county_review_due = tables.DateColumn(
        "Y-m-d", verbose_name=_("County review due"), attrs={"td": {"class": "nowrap"}}
    )
    city_recommendation_due = tables.DateColumn(
        "Y-m-d", verbose_name=_("City recommendation due"), attrs={"td": {"class": "nowrap"}}
    )
    province_decision_due = tables.DateColumn(
        "Y-m-d", verbose_name=_("Province decision due"), attrs={"td": {"class": "nowrap"}}
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"class": "campaign-row"}
        empty_text = _("No campaign matches these filters.")


class CertificateTable(lists.Table):
    number = lists.TemplateColumn(
        '<a href="{% url \'certification:certificate-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Number"), attrs={"td": {"class": "mono"}},
    )
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("Enterprise"))
    region = lists.TemplateColumn(
        '{% if value.level == "county" %}{{ value.parent.name }}{% endif %}{{ value.name }}',
        accessor="enterprise__region", verbose_name=_("Region"),
    )
    level = tables.Column(verbose_name=_("Level"))
    issued_on = tables.DateColumn(
        "Y-m-d", verbose_name=_("Issued on"), attrs={"td": {"class": "nowrap"}}
    )
    valid_until = tables.DateColumn(
        "Y-m-d", verbose_name=_("Valid until"), attrs={"td": {"class": "nowrap"}}
    )
    status = lists.TemplateColumn(
        '{% include "certification/certificates/status_badge.html" with certificate=record %}',
        verbose_name=_("Status"),
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"class": "certificate-row"}
        empty_text = _("No certificate matches these filters.")


class RecommendationTable(lists.Table):
    """National recommendations; a pending one carries the form that records its outcome
    (``record.outcome_form``, set by the page)."""

    enterprise = lists.TemplateColumn(
        '{{ record.enterprise.name }}<br><span class="mono small">{{ record.enterprise.uscc }}'
        "</span>",
        verbose_name=_("Enterprise"),
    )
    campaign = tables.Column(
        accessor="application__campaign__title", verbose_name=_("Campaign")
    )
    year = tables.Column(verbose_name=_("Year"))
    outcome = lists.TemplateColumn(
        "{{ record.get_outcome_display }}{% if record.outcome_document %}<br>"
        '<span class="small">{{ record.outcome_document }}</span>{% endif %}'
        "{% if record.certificate %}<br><a class=\"mono\" href=\"{% url "
        "'certification:certificate-detail' record.certificate.pk %}\">"
        "{{ record.certificate.number }}</a>{% endif %}",
        verbose_name=_("National outcome"),
    )
    record_outcome = lists.TemplateColumn(
        template_name="certification/certificates/outcome_form.html",
        verbose_name=_("Record the outcome"), empty_values=(),
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"class": "recommendation-row"}
        empty_text = _("No recommendation matches these filters.")


class ExpertTable(lists.Table):
    name = lists.TemplateColumn(
        '<a href="{% url \'certification:expert-edit\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Name"),
    )
    title = tables.Column(verbose_name=_("Professional title"))
    employer = lists.TemplateColumn(
        "{{ record.employer_name }}{% if record.employer_uscc %}<div class=\"mono small "
        'muted">{{ record.employer_uscc }}</div>{% endif %}',
        verbose_name=_("Employer"), empty_values=(),
    )
    region = tables.Column(accessor="region__name", verbose_name=_("Region"))
    industries = lists.TemplateColumn(
        '{% for industry in record.industries.all %}<span class="badge">{{ industry.code }} '
        "{{ industry.name }}</span> {% empty %}—{% endfor %}",
        verbose_name=_("Fields of expertise"), empty_values=(),
    )
    username = tables.Column(
        accessor="user__username", verbose_name=_("Username"), attrs={"td": {"class": "mono"}}
    )
    is_active = lists.TemplateColumn(
        "{% load i18n %}{% if value %}{% translate 'Yes' %}{% else %}{% translate 'No' %}"
        "{% endif %}",
        verbose_name=_("In the pool"),
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"data-expert": lambda record: record.pk}
        empty_text = _("No expert matches these filters.")


class AssignmentTable(lists.Table):
    """Score sheets; the points show only where ``record.scores_visible`` (set by the page)."""

    application = lists.TemplateColumn(
        '<a href="{% url \'certification:assignment-detail\' record.pk %}">'
        "{{ record.application.enterprise.name }}</a>",
        verbose_name=_("Application"),
    )
    campaign = tables.Column(
        accessor="application__campaign__title", verbose_name=_("Campaign")
    )
    expert = tables.Column(accessor="expert__name", verbose_name=_("Expert"))
    status = lists.TemplateColumn(
        '<span class="badge sheet-{{ record.status }}">{{ record.get_status_display }}</span>',
        verbose_name=_("Status"),
    )
    total = lists.TemplateColumn(
        "{% if record.scores_visible and value is not None %}{{ value }}{% else %}—{% endif %}",
        verbose_name=_("Total points"), empty_values=(),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    submitted_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name=_("Submitted at"), attrs={"td": {"class": "nowrap"}}
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"data-sheet": lambda record: record.pk}
        empty_text = _("No score sheet is assigned to you.")


class NoticeTable(lists.Table):
    title = lists.TemplateColumn(
        '<a href="{% url \'certification:notice-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Title"),
    )
    campaign = tables.Column(accessor="campaign__title", verbose_name=_("Campaign"))
    period = lists.TemplateColumn(
        '{{ record.starts_on|date:"Y-m-d" }} – {{ record.ends_on|date:"Y-m-d" }}',
        verbose_name=_("Period"), empty_values=(), attrs={"td": {"class": "nowrap"}},
    )
    firm_count = tables.Column(verbose_name=_("Firms"))
    pending_count = lists.TemplateColumn(
        '{% if value %}<span class="badge badge-overdue">{{ value }}</span>{% else %}0'
        "{% endif %}",
        verbose_name=_("Objections pending"), empty_values=(),
    )
    status = lists.TemplateColumn(
        template_name="certification/notices/status_cell.html", verbose_name=_("Status")
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"class": "notice-row"}
        empty_text = _("No notice has been published yet.")
