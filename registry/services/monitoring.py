"""State-changing use cases of monitoring reports (运行监测): filing, submission, verification.

County and city staff file and submit the figures of the enterprises of their region (officials
enter them on the firms' behalf); staff of the enterprise's own county (or of a prefecture unit
that has no counties, where its firms sit directly) verify or return them. A verified report is
never edited: saving different figures for its period files a correction, a new revision that
supersedes it once verified in its turn.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

import pghistory
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.base import ModelState
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from gansu_sme import bulk, workflow
from gansu_sme.bulk import AnyOf
from gansu_sme.exceptions import (
    DomainError,
    FieldMessage,
    InvalidTransition,
    OutOfScope,
    PermissionDenied,
)
from registry import quality, sizeclass
from registry.choices import (
    REPORT_ACTS,
    REPORT_EDITABLE,
    REPORT_OPEN,
    REPORT_TRANSITIONS,
    PeriodKind,
    ReportStatus,
    ReportVerb,
)
from registry.figures import FIGURE_NAMES, FIGURES, FigureError
from registry.models import Enterprise, MonitoringReport, MonitoringReportTransition
from registry.policies import REPORT_FILER_ROLES, REPORT_VERIFIER_ROLES, report_verifiable_by
from registry.services.figures import region_figures_touch_reports

REPORT_WORKFLOW = workflow.Workflow(
    name="monitoring_report",
    model=MonitoringReport,
    record=MonitoringReportTransition,
    subject="report",
    statuses=ReportStatus,
    verbs=ReportVerb,
    table=REPORT_TRANSITIONS,
    acts=REPORT_ACTS,
    reason_required=frozenset({ReportVerb.RETURN}),
    lock_related=("enterprise",),
    noun=_("the report"),
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Lowest and highest ``period`` of each kind of period.
PERIOD_RANGE = {PeriodKind.YEAR: (0, 0), PeriodKind.QUARTER: (1, 4), PeriodKind.MONTH: (1, 12)}
YEAR_RANGE = (2000, 2100)
# Reports the data-quality rules compare with: figures still in draft are not yet anyone's word.
REFERENCE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
# Columns a save writes to a report it updates.
UPDATED_FIELDS = (*FIGURE_NAMES, "flags", "status", "submitted_at", "updated_at")
ALL = "__all__"


@dataclass(frozen=True)
class ReportInput:
    """One report to save: the enterprise, its period and the figures given for it.

    ``figures`` maps figure names (registry.figures) to values; a name left out keeps the value
    the period's report already has, and an empty value clears it.
    """

    enterprise: Enterprise
    period_kind: str
    year: int
    period: int
    figures: dict


class SaveResult(NamedTuple):
    report: MonitoringReport
    # CREATED, UPDATED or UNCHANGED.
    outcome: str


class ReportsInvalid(DomainError):
    """Some items of a save were refused, so nothing was written.

    ``errors`` maps the index of each refused item to its messages by field: a figure name,
    ``enterprise``, ``period_kind``, ``year``, ``period``, or ``__all__`` for the item as a
    whole. Every message is a FieldMessage: its text in the active language, and its code.
    """

    code = "invalid"
    default_message = _("Some reports are invalid; none was saved.")

    def __init__(self, errors):
        self.errors = errors
        super().__init__()

    def for_item(self, index):
        """The errors of one item as a DomainError whose fields are that item's fields."""
        errors = dict(self.errors[index])
        general = errors.pop(ALL, [])
        code = general[0].code if general else self.code
        return DomainError(" ".join(general) or None, code=code, fields=errors)


def _check_role(actor, roles):
    if not actor.has_role(*roles):
        raise PermissionDenied()


def _check_verifier(actor, report):
    if not report_verifiable_by(actor, report):
        raise PermissionDenied(
            _("Only staff of the enterprise's own county verify or return its reports.")
        )


def _superseded_reason(revision):
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Superseded by correction %(revision)s.") % {"revision": revision}


def _key(report):
    return (report.enterprise_id, report.period_kind, report.year, report.period)


def period_start(period_kind: str, year: int, period: int) -> date:
    if period_kind == PeriodKind.QUARTER:
        return date(year, 3 * period - 2, 1)
    return date(year, period if period_kind == PeriodKind.MONTH else 1, 1)


# Validation


def _refuse(errors, field, message, code):
    errors.setdefault(field, []).append(FieldMessage(message, code))


def _period_errors(errors, item, today):
    if not isinstance(item.enterprise, Enterprise) or item.enterprise.pk is None:
        _refuse(errors, "enterprise", gettext("Choose a registered enterprise."),
                "enterprise_required")
    kind_ok = item.period_kind in PERIOD_RANGE
    if not kind_ok:
        _refuse(errors, "period_kind", gettext("Must be year, quarter or month."),
                "invalid_period_kind")
    year_ok = isinstance(item.year, int) and YEAR_RANGE[0] <= item.year <= YEAR_RANGE[1]
    if not year_ok:
        _refuse(errors, "year", gettext("Must be between %(low)s and %(high)s.") % {
            "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]}, "invalid_year")
    if kind_ok:
        low, high = PERIOD_RANGE[item.period_kind]
        if not isinstance(item.period, int) or not low <= item.period <= high:
            _refuse(errors, "period", {
                PeriodKind.YEAR: gettext("Must be 0 for a year."),
                PeriodKind.QUARTER: gettext("A quarter is 1 to 4."),
                PeriodKind.MONTH: gettext("A month is 1 to 12."),
            }[item.period_kind], "invalid_period")
        elif year_ok and period_start(item.period_kind, item.year, item.period) > today:
            _refuse(errors, "period", gettext("This period has not begun yet."),
                    "period_not_begun")


@cache
def _parsers():
    return {figure.name: figure.parser for figure in FIGURES}


def _figure_errors(errors, given):
    """Parse the figures ``given``; the parsed ones, and refusals added to ``errors``."""
    figures = {}
    parsers = _parsers()
    for name, value in given.items():
        parse = parsers.get(name)
        if parse is None:
            _refuse(errors, name, gettext("Unknown figure."), "unknown_figure")
            continue
        try:
            figures[name] = parse(value)
        except FigureError as exc:
            _refuse(errors, name, str(exc.message), exc.code)
    return figures


def _item_errors(item, today):
    """The messages by field refusing ``item`` on its own, and its parsed figures."""
    errors = {}
    enterprise, kind, year = item.enterprise, item.period_kind, item.year
    # The common case, checked at once: a saved enterprise and a period that has begun.
    if not (
        kind == PeriodKind.YEAR
        and item.period.__class__ is int
        and item.period == 0
        and year.__class__ is int
        and YEAR_RANGE[0] <= year <= today.year
        and isinstance(enterprise, Enterprise)
        and enterprise.pk is not None
    ):
        _period_errors(errors, item, today)
    given = item.figures if isinstance(item.figures, dict) else {}
    return errors, _figure_errors(errors, given)


def _report_maker(actor):
    """A function making the unsaved report of an item: (enterprise, key, figures, current).

    Instances are made from the attributes of a blank one, as Model.from_db makes them,
    which costs a fraction of calling the model with two dozen keyword arguments.
    """
    blank = MonitoringReport(created_by=actor)
    attributes = {k: v for k, v in blank.__dict__.items() if k != "_state"}
    new_instance = MonitoringReport.__new__
    figure_names = FIGURE_NAMES

    def make(enterprise, key, figures, current):
        report = new_instance(MonitoringReport)
        values = report.__dict__
        values.update(attributes)
        state = values["_state"] = ModelState()
        state.fields_cache["created_by"] = actor
        state.fields_cache["enterprise"] = enterprise
        values["enterprise_id"], values["period_kind"], values["year"], values["period"] = key
        # Each report owns its flags, as a new instance would.
        values["flags"] = []
        if current is not None:
            # A correction starts from the verified figures and changes those given.
            for name in figure_names:
                values[name] = getattr(current, name)
            values["revision"] = current.revision + 1
            values["corrects_id"] = current.pk
            state.fields_cache["corrects"] = current
        values.update(figures)
        return report

    return make


def _same(report, figures):
    return all(getattr(report, name) == value for name, value in figures.items())


def _existing(actor, keys, lock=True):
    """Open and verified reports of the given periods, locked, as {key: {status group: row}}."""
    if not keys:
        return {}
    # The reports of these enterprises in any of these kinds, years and periods, read from the
    # one table through its indexes; the periods asked for are picked out below. Joined to the
    # periods as rows, they were planned from statistics that knew nothing of the reports an
    # import's earlier batches had just written, which were then scanned once per period asked
    # for: 14 s instead of 2 for 10,000 rows. A report of another period that these lists match
    # is locked with the rest; its enterprise is locked already.
    enterprise_ids, kinds, years, periods = (set(column) for column in zip(*keys, strict=True))
    rows = MonitoringReport.objects.filter(
        AnyOf(F("enterprise_id"), enterprise_ids),
        period_kind__in=kinds,
        year__in=years,
        period__in=periods,
        status__in=(*REPORT_OPEN, ReportStatus.VERIFIED),
    ).order_by()
    if lock:
        rows = rows.select_for_update()
    found = {}
    for report in rows:
        key = _key(report)
        if key in keys:
            group = "verified" if report.status == ReportStatus.VERIFIED else "open"
            found.setdefault(key, {})[group] = report
    return found


def _references(reports):
    """Submitted or verified reports the quality rules compare ``reports`` with, by period.

    For each report the same period a year earlier, and for an annual report the months of its
    year; where a period has both, the verified report counts. One query for any number.
    """
    if not reports:
        return {}
    month_years = {r.year for r in reports if r.period_kind == PeriodKind.YEAR}
    rows = MonitoringReport.objects.filter(
        Q(year__in={r.year - 1 for r in reports})
        | Q(period_kind=PeriodKind.MONTH, year__in=month_years),
        AnyOf(F("enterprise_id"), {r.enterprise_id for r in reports}),
        status__in=REFERENCE_STATUSES,
    ).only("enterprise_id", "period_kind", "year", "period", "status", *quality.REFERENCE_FIGURES)
    # In no particular order: where a period has two, the verified one is kept below.
    rows = rows.order_by()
    references = {}
    for report in rows:
        key = _key(report)
        if key not in references or report.status == ReportStatus.VERIFIED:
            references[key] = report
    return references


def _set_flags(reports, references):
    """Run the data-quality rules on each of ``reports`` against the ``references``.

    The months of each year are gathered once, not looked up twelve times per annual report.
    """
    months = {}
    for (enterprise, kind, year, _period), reference in references.items():
        if kind == PeriodKind.MONTH:
            months.setdefault((enterprise, year), []).append(reference)
    for report in reports:
        enterprise, kind, year, period = _key(report)
        report.flags = quality.report_flags(
            report,
            previous=references.get((enterprise, kind, year - 1, period)),
            months=months.get((enterprise, year), ()) if kind == PeriodKind.YEAR else (),
        )


def _refresh_dependent_flags(reports):
    """Run the quality rules again on the reports that compare themselves with ``reports``.

    A month that arrives after its year's annual report changes whether the months add up; a
    year (or quarter, or month) that arrives after the next one changes the next one's
    year-on-year check. Called once ``reports`` are stored as submitted or verified figures;
    only flags that change are written. Two queries for any number of reports.
    """
    wanted = set()
    for report in reports:
        enterprise, kind, year, period = _key(report)
        wanted.add((enterprise, kind, year + 1, period))
        if kind == PeriodKind.MONTH:
            wanted.add((enterprise, PeriodKind.YEAR, year, 0))
    wanted -= {_key(report) for report in reports}
    if not wanted:
        return
    enterprise_ids, kinds, years, periods = (set(column) for column in zip(*wanted, strict=True))
    candidates = MonitoringReport.objects.filter(
        AnyOf(F("enterprise_id"), enterprise_ids),
        period_kind__in=kinds,
        year__in=years,
        period__in=periods,
        status__in=(*REPORT_OPEN, ReportStatus.VERIFIED),
    ).order_by()
    dependents = [report for report in candidates if _key(report) in wanted]
    before = {report.pk: report.flags for report in dependents}
    _set_flags(dependents, _references(dependents))
    bulk.update_rows(
        MonitoringReport, [r for r in dependents if r.flags != before[r.pk]], ["flags"]
    )


# Filing


@transaction.atomic
def monitoring_reports_save(
    *,
    actor: User,
    items: Iterable[ReportInput],
    submit: bool = False,
    validate_only: bool = False,
) -> list[SaveResult]:
    """Save the figures of many reports at once, all or nothing; returns a SaveResult per item.

    For each item: an open report (draft, submitted, returned) of its period has its figures
    updated, and is "unchanged" if they are equal; a verified report alone is "unchanged" if
    its figures are equal, otherwise a correction is filed as a new draft revision; with no
    report yet, revision 0 is filed. A submitted report awaits verification and cannot change.
    With ``submit`` the created and updated reports are submitted too.

    Every item is checked first (the actor's role; each enterprise in the actor's region and
    active; period and figures as the database constraints and fields require; no period twice)
    and ReportsInvalid names every refused item and field before anything is written. The
    data-quality flags of every written report are computed in memory. The number of queries is
    the same for one item or ten thousand; each status change gets a transition row, and the
    history triggers record every row under the actor.

    With ``validate_only`` every check runs and every outcome and flag is computed exactly as
    for a save, but nothing is written and nothing locked: the SaveResults carry the reports
    as they would be saved, unsaved (new ones without an id). Imports validate this way.
    """
    _check_role(actor, REPORT_FILER_ROLES)
    items = list(items)
    if not items:
        return []
    today = timezone.localdate()
    errors, parsed = {}, []
    for index, item in enumerate(items):
        item_errors, figures = _item_errors(item, today)
        if item_errors:
            errors[index] = item_errors
        parsed.append(figures)

    # Locking the enterprises serialises concurrent saves for the same firm, so two of them
    # cannot both find no open report for a period and both file one.
    candidates = {
        item.enterprise.pk
        for index, item in enumerate(items)
        if "enterprise" not in errors.get(index, {})
    }
    enterprises = Enterprise.objects.visible_to(actor)
    if not validate_only:
        enterprises = enterprises.select_for_update(of=("self",))
    active = dict(
        enterprises.filter(AnyOf(F("pk"), candidates)).order_by().values_list("pk", "is_active")
    )
    keys = {}
    for index, item in enumerate(items):
        item_errors = errors.get(index, {})
        if "enterprise" in item_errors:
            continue
        if item.enterprise.pk not in active:
            item_errors["enterprise"] = [FieldMessage(
                gettext("Does not exist or is outside your jurisdiction."), "out_of_scope"
            )]
        elif not active[item.enterprise.pk]:
            item_errors["enterprise"] = [
                FieldMessage(gettext("Has been deactivated."), "enterprise_inactive")
            ]
        elif not item_errors:
            key = (item.enterprise.pk, item.period_kind, item.year, item.period)
            if key in keys:
                item_errors[ALL] = [FieldMessage(
                    gettext("The same enterprise and period appear more than once."),
                    "duplicate_period",
                )]
            else:
                keys[key] = index
        if item_errors:
            errors[index] = item_errors

    existing = _existing(actor, keys, lock=not validate_only)
    now = timezone.now()
    new_report = _report_maker(actor)
    results: list[Any] = [None] * len(items)
    created, updated = [], []
    for key, index in keys.items():
        if index in errors:
            continue
        item, figures = items[index], parsed[index]
        found = existing.get(key, {})
        current = found.get("open") or found.get("verified")
        if current is not None and _same(current, figures):
            results[index] = SaveResult(current, UNCHANGED)
        elif found.get("open") is not None:
            report = found["open"]
            if report.status not in REPORT_EDITABLE:
                errors[index] = {ALL: [FieldMessage(
                    gettext(
                        "This period's report is submitted and awaits verification; it must be"
                        " returned before it can change."
                    ),
                    "report_submitted",
                )]}
                continue
            for name, value in figures.items():
                setattr(report, name, value)
            updated.append(report)
            results[index] = SaveResult(report, UPDATED)
        elif not any(value is not None for value in figures.values()) and current is None:
            errors[index] = {
                ALL: [FieldMessage(gettext("Enter at least one figure."), "no_figures")]
            }
        else:
            report = new_report(item.enterprise, key, figures, current)
            created.append(report)
            results[index] = SaveResult(report, CREATED)
    if errors:
        raise ReportsInvalid(dict(sorted(errors.items())))

    transitions = []
    if submit:
        for report in updated:
            transitions.append(
                (report.pk, ReportVerb.SUBMIT, report.status, ReportStatus.SUBMITTED)
            )
        for report in (*created, *updated):
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = now
    changed = [*created, *updated]
    references = _references(changed)
    if submit:
        # What this save submits is a reference for the rest, unless the period has a verified
        # report, which stays the official figure until a correction is verified.
        for report in changed:
            held = references.get(_key(report))
            if held is None or held.status != ReportStatus.VERIFIED:
                references[_key(report)] = report
    _set_flags(changed, references)
    if validate_only:
        return results

    with pghistory.context(user=actor.pk):
        bulk.insert_rows(MonitoringReport, created)
        for report in created:
            transitions.append((report.pk, ReportVerb.FILE, "", ReportStatus.DRAFT))
            if submit:
                transitions.append(
                    (report.pk, ReportVerb.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED)
                )
        bulk.update_rows(MonitoringReport, updated, UPDATED_FIELDS)
        bulk.insert_values(
            MonitoringReportTransition,
            ("report", "verb", "from_status", "to_status", "actor", "reason", "at"),
            [(*move, actor.pk, "", now) for move in transitions],
        )
        if submit:
            _refresh_dependent_flags(changed)
            # Drafts count in no figure; what is submitted counts until it is verified.
            region_figures_touch_reports(reports=changed)
    return results


@transaction.atomic
def monitoring_report_save(
    *,
    actor: User,
    enterprise: Enterprise,
    period_kind: str,
    year: int,
    period: int,
    figures: dict[str, Any],
    submit: bool = False,
) -> SaveResult:
    """Save one enterprise's figures for one period, as ``monitoring_reports_save`` does.

    An enterprise outside the actor's region is not found; refused figures raise a DomainError
    whose fields are the figures. With ``submit``, a draft or returned report whose figures
    were already the ones given is submitted as it is.
    """
    _check_role(actor, REPORT_FILER_ROLES)
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise OutOfScope()
    item = ReportInput(enterprise, period_kind, year, period, figures)
    try:
        [result] = monitoring_reports_save(actor=actor, items=[item], submit=submit)
    except ReportsInvalid as exc:
        raise exc.for_item(0) from exc
    if submit and result.outcome == UNCHANGED and result.report.status in REPORT_EDITABLE:
        return SaveResult(monitoring_report_submit(actor=actor, report=result.report), UNCHANGED)
    return result


@transaction.atomic
def monitoring_report_update(
    *, actor: User, report: MonitoringReport, figures: dict[str, Any], submit: bool = False
) -> SaveResult:
    """Change the figures of a draft or returned report (a verified one takes a correction).

    Refuses with InvalidTransition a report that is submitted, verified or superseded.
    """
    _check_role(actor, REPORT_FILER_ROLES)
    locked = workflow.lock(REPORT_WORKFLOW, actor, report)
    if locked.status not in REPORT_EDITABLE:
        raise InvalidTransition(
            _(
                "Only a draft or returned report can be changed; file a correction of a"
                " verified one."
            )
        )
    return monitoring_report_save(
        actor=actor,
        enterprise=locked.enterprise,
        period_kind=locked.period_kind,
        year=locked.year,
        period=locked.period,
        figures=figures,
        submit=submit,
    )


# Status changes


@transaction.atomic
def monitoring_report_submit(*, actor: User, report: MonitoringReport) -> MonitoringReport:
    """Send a draft or returned report for verification; its flags are checked again.

    Submitting a report that is already submitted changes nothing.
    """
    _check_role(actor, REPORT_FILER_ROLES)
    locked = workflow.lock(REPORT_WORKFLOW, actor, report)
    if locked.status == ReportStatus.SUBMITTED:
        return locked

    def stamp(row):
        row.submitted_at = timezone.now()
        # Last year's figures or this year's months may have arrived since it was saved.
        _set_flags([row], _references([row]))

    with pghistory.context(user=actor.pk):
        workflow.transition(
            REPORT_WORKFLOW, actor=actor, obj=locked, verb=ReportVerb.SUBMIT, apply=stamp,
            locked=True,
        )
        _refresh_dependent_flags([locked])
        region_figures_touch_reports(reports=[locked])
    return locked


@transaction.atomic
def monitoring_report_verify(*, actor: User, report: MonitoringReport) -> MonitoringReport:
    """Confirm a submitted report's figures (核实): staff of the enterprise's own region only.

    Verifying a correction marks the report it corrects superseded. Verifying an annual report
    re-derives the enterprise's size class and above-scale status. Verifying a report that is
    already verified changes nothing.
    """
    _check_role(actor, REPORT_VERIFIER_ROLES)
    locked = workflow.lock(REPORT_WORKFLOW, actor, report)
    _check_verifier(actor, locked)
    if locked.status == ReportStatus.VERIFIED:
        return locked
    if locked.status not in REPORT_WORKFLOW.sources(ReportVerb.VERIFY):
        raise REPORT_WORKFLOW.refusal(locked, ReportVerb.VERIFY)
    with pghistory.context(user=actor.pk):
        if locked.corrects_id is not None:
            # Superseded first: the database allows one verified report per period.
            workflow.transition(
                REPORT_WORKFLOW, actor=actor,
                obj=MonitoringReport.objects.get(pk=locked.corrects_id),
                verb=ReportVerb.SUPERSEDE,
                # Kept as the record's reason, in the site's language: Chinese.
                reason=_superseded_reason(locked.revision),
            )

        def stamp(row):
            row.verified_at = timezone.now()
            row.verified_by = actor

        workflow.transition(
            REPORT_WORKFLOW, actor=actor, obj=locked, verb=ReportVerb.VERIFY, apply=stamp,
            locked=True,
        )
        # A verified correction replaces the figures the later reports compare with.
        _refresh_dependent_flags([locked])
        if locked.period_kind == PeriodKind.YEAR:
            enterprises_refresh_figures(enterprise_ids=[locked.enterprise_id])
        region_figures_touch_reports(reports=[locked])
    return locked


@transaction.atomic
def monitoring_report_return(
    *, actor: User, report: MonitoringReport, reason: str
) -> MonitoringReport:
    """Send a submitted report back to its filers with a reason: the enterprise's own region only.

    Returning a report that is already returned changes nothing.
    """
    _check_role(actor, REPORT_VERIFIER_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            code="reason_required",
            fields={"reason": [FieldMessage(gettext("Give a reason for returning it."),
                                            "reason_required")]},
        )
    locked = workflow.lock(REPORT_WORKFLOW, actor, report)
    _check_verifier(actor, locked)
    if locked.status == ReportStatus.RETURNED:
        return locked
    region_figures_touch_reports(reports=[locked])
    return workflow.transition(
        REPORT_WORKFLOW, actor=actor, obj=locked, verb=ReportVerb.RETURN, reason=reason,
        locked=True,
    )


# Derived enterprise figures


def _derived(enterprise, report):
    if report is None:
        return "", False, None
    code = enterprise.industry.code
    size = sizeclass.size_class(
        code,
        employees=report.employees,
        revenue=report.operating_revenue,
        assets=report.total_assets,
    )
    return size or "", sizeclass.is_above_scale(code, report.main_business_revenue), report.year


@transaction.atomic
def enterprises_refresh_figures(*, enterprise_ids: Iterable[int]) -> list[Enterprise]:
    """Re-derive size class, above-scale status and figures year from verified annual reports.

    Each enterprise takes them from its latest verified annual report (none: blank, not above
    scale). Only enterprises whose values change are written, so a repeated call writes
    nothing; the history triggers record when each value changed. Returns the changed ones.
    """
    latest = {
        report.enterprise_id: report
        for report in MonitoringReport.objects.filter(
            enterprise_id__in=enterprise_ids,
            period_kind=PeriodKind.YEAR,
            status=ReportStatus.VERIFIED,
        )
        .order_by("enterprise_id", "-year")
        .distinct("enterprise_id")
        .only("enterprise_id", "year", "employees", "operating_revenue", "total_assets",
              "main_business_revenue")
    }
    now = timezone.now()
    changed = []
    enterprises = (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("industry")
        .filter(pk__in=enterprise_ids)
    )
    for enterprise in enterprises:
        derived = _derived(enterprise, latest.get(enterprise.pk))
        if derived != (enterprise.size_class, enterprise.is_above_scale, enterprise.figures_year):
            enterprise.size_class, enterprise.is_above_scale, enterprise.figures_year = derived
            enterprise.updated_at = now
            changed.append(enterprise)
    if changed:
        Enterprise.objects.bulk_update(
            changed, ["size_class", "is_above_scale", "figures_year", "updated_at"]
        )
    return changed


def enterprise_refresh_figures(*, enterprise: Enterprise) -> Enterprise:
    """Re-derive one enterprise's size class and above-scale status; see the bulk version."""
    enterprises_refresh_figures(enterprise_ids=[enterprise.pk])
    enterprise.refresh_from_db(fields=["size_class", "is_above_scale", "figures_year"])
    return enterprise
