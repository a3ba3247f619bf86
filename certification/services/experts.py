"""The expert panel (专家评审): the pool of experts, the random draw and the score sheets.

The draw (双随机): random experts for a random order of applications, drawn by the province and
recorded in an ExpertDraw row that an auditor can replay (see its docstring). Who is left out
and why is recorded with it:

- ``inactive``: the expert has left the pool;
- ``same_employer``: the expert's employer has the applicant's credit code;
- ``declared_relationship``: the expert declared a relationship with the applicant;
- ``same_county`` / ``same_prefecture``: the campaign's extra conflict rules, comparing the
  expert's region with the enterprise's (a province-level expert is in no prefecture);
- ``already_assigned``: a replacement draw never draws a member of the panel again, nor an
  expert who recused from it;
- ``other_field``: the field rule below.

Field rule: experts whose fields of expertise include an industry in the enterprise's GB/T 4754
section (the same 门类, or a division within it) are preferred. When at least as many such
experts remain eligible as there are places, only they are candidates and the others are
recorded as ``other_field``; when fewer remain, every eligible expert is a candidate, so a
panel can always be formed from the conflict-free pool.

Score sheets: an expert declares no conflict before the file opens to them, then scores the
rule set's manual scored items. A sheet's total is the automatic scored items' points of the
evaluation stored with the application at submission (``application.evaluation.results``;
none when the application has no stored evaluation) plus the expert's manual points. The panel
score is the mean of the sheet totals, or with five or more sheets the mean after dropping one
highest and one lowest; the spread is the highest total minus the lowest, flagged above the
campaign's threshold. Both are written, inside the lock on the application, when the panel is
complete: as many submitted sheets as the campaign requires (``scoring.PanelCount``; a recused
sheet never counts, so a recusal waits for its replacement's sheet), and cleared when a
replacement draw opens a new sheet. Arithmetic is Decimal, rounded to 0.1 half up.
"""

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pghistory
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.choices import Role
from accounts.models import User
from certification.choices import (
    ALREADY_ASSIGNED,
    INACTIVE,
    OTHER_FIELD,
    ApplicationStatus,
    AssignmentStatus,
    ConflictRule,
    Verb,
)
from certification.models import (
    Application,
    Expert,
    ExpertAssignment,
    ExpertDraw,
    ExpertRelationship,
)
from certification.policies import can_manage_experts
from certification.scoring import (
    TENTH,
    automatic_points,
    manual_items,
    panel_count,
    panel_figures,
    panel_required,
    round_tenth,
)
from certification.services.workflow import APPLICATION_WORKFLOW, application_transition
from gansu_sme import workflow
from gansu_sme.exceptions import (
    DomainError,
    FieldMessage,
    InvalidTransition,
    OutOfScope,
    PermissionDenied,
)
from registry.models import Industry, Region

EXPERT_FIELDS = ("name", "title", "employer_name", "employer_uscc", "region", "is_active")

def _check_manager(actor):
    if not can_manage_experts(actor):
        raise PermissionDenied()


# --- the pool of experts ----------------------------------------------------------------------


def _expert_save(actor, expert, industries):
    try:
        expert.full_clean(exclude=["user"])
    except ValidationError as error:
        raise DomainError(code="invalid", fields=error.message_dict) from error
    with pghistory.context(user=actor.pk):
        expert.save()
        if industries is not None:
            expert.industries.set(industries)
    return expert


@transaction.atomic
def expert_create(
    *,
    actor: User,
    username: str,
    name: str,
    employer_name: str,
    region: Region | None,
    employer_uscc: str = "",
    title: str = "",
    industries: Iterable[Industry] = (),
    password: str = "",
) -> Expert:
    """Add an expert to the pool, with the account they sign in with (role expert, no region).

    Preconditions: the actor is a provincial reviewer; the username is free; ``password`` passes
    the password validators (AUTH_PASSWORD_VALIDATORS; an empty one is refused too, code
    ``invalid_password`` on the field ``password``): every path that sets a password checks them.
    The expert replaces it at the first sign-in. Writes the user and the expert.
    """
    _check_manager(actor)
    user = User(username=(username or "").strip(), full_name=name, role=Role.EXPERT)
    if not password:
        raise DomainError(code="invalid_password", fields={"password": [
            FieldMessage(_("Set an initial password for the expert's account."), "required")
        ]})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(
            code="invalid_password", fields={"password": list(error.messages)}
        ) from error
    user.set_password(password)
    # A password the reviewer chose is handed over: the expert replaces it at first sign-in.
    user.must_change_password = True
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise DomainError(code="invalid", fields=error.message_dict) from error
    with pghistory.context(user=actor.pk):
        user.save()
    expert = Expert(
        user=user,
        name=name,
        title=title,
        employer_name=employer_name,
        employer_uscc=(employer_uscc or "").strip().upper(),
        region=region,
    )
    return _expert_save(actor, expert, list(industries))


@transaction.atomic
def expert_update(
    *, actor: User, expert: Expert, industries: Iterable[Industry] | None = None, **fields: Any
) -> Expert:
    """Change an expert's record; ``is_active=False`` takes them out of future draws.

    An expert who leaves the pool keeps their account, so sheets already assigned can still be
    finished. ``fields`` are among EXPERT_FIELDS; ``industries`` replaces the fields of
    expertise when given.
    """
    _check_manager(actor)
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="unknown_fields",
        )
    locked = Expert.objects.select_for_update().get(pk=expert.pk)
    for name, value in fields.items():
        if name == "employer_uscc":
            value = (value or "").strip().upper()
        setattr(locked, name, value)
    if "name" in fields and locked.user.full_name != locked.name:
        locked.user.full_name = locked.name
        with pghistory.context(user=actor.pk):
            locked.user.save(update_fields=["full_name"])
    return _expert_save(actor, locked, None if industries is None else list(industries))


# --- the draw ---------------------------------------------------------------------------------


def _prefecture(region):
    # "620000/620100/620102" → "620000/620100"; a province-level region lies in no prefecture.
    parts = region.path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else None


def _exclusions(expert, enterprise, *, related, extra_rules, assigned):
    reasons = []
    if not expert.is_active:
        reasons.append(INACTIVE)
    if expert.employer_uscc and expert.employer_uscc == enterprise.uscc:
        reasons.append(ConflictRule.SAME_EMPLOYER)
    if expert.pk in related:
        reasons.append(ConflictRule.DECLARED_RELATIONSHIP)
    if ConflictRule.SAME_COUNTY in extra_rules and expert.region_id == enterprise.region_id:
        reasons.append(ConflictRule.SAME_COUNTY)
    if ConflictRule.SAME_PREFECTURE in extra_rules:
        prefecture = _prefecture(expert.region)
        if prefecture is not None and prefecture == _prefecture(enterprise.region):
            reasons.append(ConflictRule.SAME_PREFECTURE)
    if expert.pk in assigned:
        reasons.append(ALREADY_ASSIGNED)
    return [str(reason) for reason in reasons]


def draw_pool(
    application: Application, *, count: int
) -> tuple[list[int], dict[str, list[str]]]:
    """Who may be drawn for ``application``: (candidates, excluded), per the module's rules.

    ``candidates`` is the sorted list of expert ids the draw shuffles; ``excluded`` maps each
    other expert's id (a string, as JSON keeps it) to the sorted reasons.
    """
    enterprise = application.enterprise
    related = set(
        ExpertRelationship.objects.filter(enterprise=enterprise).values_list("expert_id", flat=True)
    )
    assigned = set(application.assignments.values_list("expert_id", flat=True))
    extra_rules = set(application.campaign.extra_conflict_rules)
    section = enterprise.industry.section
    eligible, excluded, in_field = [], {}, set()
    experts = Expert.objects.select_related("region").prefetch_related("industries")
    for expert in experts:
        reasons = _exclusions(
            expert, enterprise, related=related, extra_rules=extra_rules, assigned=assigned
        )
        if reasons:
            excluded[str(expert.pk)] = sorted(reasons)
            continue
        eligible.append(expert.pk)
        if any(industry.section == section for industry in expert.industries.all()):
            in_field.add(expert.pk)
    if len(in_field) >= count:
        for pk in eligible:
            if pk not in in_field:
                excluded[str(pk)] = [OTHER_FIELD]
        eligible = [pk for pk in eligible if pk in in_field]
    return sorted(eligible), excluded


def draw_replay(candidates: Sequence[int], seed: str, count: int) -> list[int]:
    """The experts a draw picks: ``candidates`` sorted, shuffled by ``seed``, first ``count``."""
    order = sorted(candidates)
    random.Random(seed).shuffle(order)
    return order[:count]


def _check_count(count):
    if count < 1:
        raise DomainError(
            code="invalid_count", fields={"count": [_("At least one expert must be drawn.")]}
        )


def _draw(actor, application, *, count, seed):
    candidates, excluded = draw_pool(application, count=count)
    if len(candidates) < count:
        message = ngettext(
            "Only %(free)s expert is free of conflicts for %(count)s places; add experts to the"
            " pool or draw fewer.",
            "Only %(free)s experts are free of conflicts for %(count)s places; add experts to the"
            " pool or draw fewer.",
            len(candidates),
        ) % {"free": len(candidates), "count": count}
        raise DomainError(message, code="too_few_experts", fields={"count": [message]})
    seed = str(seed) if seed else secrets.token_hex(16)
    draw = ExpertDraw(
        application=application,
        seed=seed,
        count=count,
        candidates=candidates,
        excluded=excluded,
        drawn=draw_replay(candidates, seed, count),
        drawn_by=actor,
    )
    try:
        # A draw that leaves nobody out stores an empty ``excluded``, which is not "blank".
        draw.full_clean(exclude=["application", "drawn_by", "excluded"])
    except ValidationError as error:
        raise DomainError(code="invalid", fields=error.message_dict) from error
    with pghistory.context(user=actor.pk):
        draw.save()
        ExpertAssignment.objects.bulk_create(
            ExpertAssignment(application=application, expert_id=pk, draw=draw)
            for pk in draw.drawn
        )
    return draw


@transaction.atomic
def experts_draw(
    *,
    actor: User,
    application: Application,
    count: int | None = None,
    seed: str | None = None,
    expected_status: str | None = None,
) -> ExpertDraw:
    """Draw experts at random for an application and return the ExpertDraw.

    PROVINCE_ACCEPTED: draws ``count`` experts (by default the campaign's experts per
    application) and moves the application to UNDER_EXPERT_REVIEW (Verb.START_EXPERT_REVIEW).
    UNDER_EXPERT_REVIEW: draws replacements for recused experts only, as many as the panel
    lacks (``count`` may not exceed that), and clears the panel score until the new sheets are
    in. Any other status: InvalidTransition.

    Preconditions: the actor is a provincial reviewer; enough experts are eligible (the rules
    are in the module docstring), else DomainError. ``seed`` defaults to a fresh random token.
    Side effects: an ExpertDraw row with candidates, exclusions and the experts drawn, one
    ExpertAssignment per expert drawn, and for a first draw the transition row.

    ``expected_status`` is the status the caller saw. A first draw repeated (a double click, a
    retried request: PROVINCE_ACCEPTED seen, the application now UNDER_EXPERT_REVIEW by
    START_EXPERT_REVIEW) returns the first draw unchanged instead of drawing replacements; any
    other change since the caller looked is InvalidTransition.
    """
    _check_manager(actor)
    locked = workflow.lock(APPLICATION_WORKFLOW, actor, application)
    if expected_status is not None and locked.status != expected_status:
        first = _first_draw_repeated(locked, expected_status)
        if first is not None:
            return first
        raise InvalidTransition(
            _("The application is now “%(status)s”; someone else has acted on it. Reload the"
              " page and try again.") % {"status": locked.get_status_display()},
            code="status_changed",
        )
    if locked.status == ApplicationStatus.PROVINCE_ACCEPTED:
        count = locked.campaign.experts_per_application if count is None else count
        _check_count(count)
        locked = application_transition(
            actor=actor,
            application=locked,
            verb=Verb.START_EXPERT_REVIEW,
            expected_status=ApplicationStatus.PROVINCE_ACCEPTED,
        )
        return _draw(actor, locked, count=count, seed=seed)
    if locked.status != ApplicationStatus.UNDER_EXPERT_REVIEW:
        raise InvalidTransition(
            _("The application is “%(status)s”; experts cannot be drawn now.")
            % {"status": locked.get_status_display()},
            code="draw_not_possible",
        )
    seated = locked.assignments.exclude(status=AssignmentStatus.RECUSED).count()
    needed = panel_required(locked) - seated
    if needed < 1:
        raise DomainError(
            _("No recused expert is waiting for a replacement."),
            code="no_recused_expert",
            fields={"count": [_("No recused expert needs replacing.")]},
        )
    count = needed if count is None else count
    _check_count(count)
    if count > needed:
        message = ngettext(
            "Only %(needed)s recused expert needs replacing.",
            "Only %(needed)s recused experts need replacing.",
            needed,
        ) % {"needed": needed}
        raise DomainError(code="too_many_replacements", fields={"count": [message]})
    draw = _draw(actor, locked, count=count, seed=seed)
    _panel_update(actor, locked)
    return draw


def _first_draw_repeated(locked, expected_status):
    """The first draw, when the request is a repeat of the one that made it; else None."""
    if (
        expected_status != ApplicationStatus.PROVINCE_ACCEPTED
        or locked.status != ApplicationStatus.UNDER_EXPERT_REVIEW
    ):
        return None
    last = locked.transitions.order_by("-at", "-id").first()
    if last is None or last.verb != Verb.START_EXPERT_REVIEW:
        return None
    return locked.draws.order_by("drawn_at", "id").first()


# --- score sheets -----------------------------------------------------------------------------


def _panel_update(actor, application):
    """Write or clear the panel score of a locked application from its sheets.

    The score is written only once the panel is complete (scoring.PanelCount): a recusal
    leaves it unwritten until the replacement's sheet is in.
    """
    if panel_count(application).complete:
        totals = application.assignments.filter(
            status=AssignmentStatus.SUBMITTED
        ).values_list("total", flat=True)
        score, spread = panel_figures(totals)
        flagged = spread > application.campaign.score_spread_threshold
    else:
        score, spread, flagged = None, None, False
    current = (application.panel_score, application.panel_spread, application.panel_spread_flagged)
    if current == (score, spread, flagged):
        return
    application.panel_score, application.panel_spread = score, spread
    application.panel_spread_flagged = flagged
    with pghistory.context(user=actor.pk):
        application.save(update_fields=["panel_score", "panel_spread", "panel_spread_flagged"])


def _lock_sheet(actor, assignment):
    """(application, assignment), both locked in that order, for the expert the sheet is for.

    Another expert's sheet answers OutOfScope; staff who see it but are not its expert get
    PermissionDenied: nobody scores in an expert's name.
    """
    application_id = (
        ExpertAssignment.objects.visible_to(actor)
        .filter(pk=assignment.pk)
        .values_list("application_id", flat=True)
        .first()
    )
    if application_id is None:
        raise OutOfScope()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign__ruleset", "evaluation")
        .get(pk=application_id)
    )
    locked = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    if locked.expert.user_id != actor.pk:
        raise PermissionDenied(
            _("Only the expert assigned may do this."), code="not_assigned_expert"
        )
    return application, locked


def _check_open(application, assignment, *, want):
    if application.status != ApplicationStatus.UNDER_EXPERT_REVIEW:
        raise InvalidTransition(
            _("The application is no longer under expert review."), code="not_under_review"
        )
    if assignment.status == want:
        return
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise InvalidTransition(
            _("The score sheet is submitted and locked."), code="sheet_submitted"
        )
    if assignment.status == AssignmentStatus.RECUSED:
        raise InvalidTransition(
            _("You have recused yourself from this application."), code="expert_recused"
        )
    if assignment.status == AssignmentStatus.ASSIGNED:
        raise InvalidTransition(
            _("Declare that you have no conflict of interest first."),
            code="declaration_required",
        )
    raise InvalidTransition(
        _("You have already made your declaration."), code="already_declared"
    )


@transaction.atomic
def assignment_declare(
    *, actor: User, assignment: ExpertAssignment, no_conflict: bool, declaration: str = ""
) -> ExpertAssignment:
    """The expert's conflict-of-interest declaration, made before the file opens to them.

    ``no_conflict`` true: the sheet becomes DECLARED and the application's file is visible to
    the expert. False: the expert recuses (RECUSED), ``declaration`` saying why is required,
    and the province may draw a replacement. Repeating the same declaration changes nothing;
    changing it afterwards is an InvalidTransition.
    """
    application, locked = _lock_sheet(actor, assignment)
    declaration = (declaration or "").strip()
    target = AssignmentStatus.DECLARED if no_conflict else AssignmentStatus.RECUSED
    if locked.status == target:
        return locked
    _check_open(application, locked, want=AssignmentStatus.ASSIGNED)
    if not no_conflict and not declaration:
        raise DomainError(
            code="conflict_description_required",
            fields={"declaration": [_("Describe the conflict of interest.")]},
        )
    locked.status = target
    locked.declaration = declaration
    locked.declared_at = timezone.now()
    locked.full_clean(exclude=["application", "expert", "draw"])
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=["status", "declaration", "declared_at"])
    if target == AssignmentStatus.RECUSED:
        _panel_update(actor, application)
    return locked


def _points_error(item_code, message, code):
    return DomainError(message, code=code, fields={f"{item_code}.points": [message]})


def _parse_scores(items, scores):
    """Checked {code: {"points": "x.y", "evidence": text}} of the entries given; a None
    ``points`` removes the item's entry."""
    if not isinstance(scores, dict):
        raise DomainError(code="invalid_scores", fields={"scores": [_("Invalid format.")]})
    by_code = {item.code: item for item in items}
    parsed = {}
    for code, entry in scores.items():
        item = by_code.get(code)
        if item is None:
            message = _("%(item)s is not an item experts score.") % {"item": code}
            raise DomainError(code="not_expert_item", fields={"scores": [message]})
        entry = entry if isinstance(entry, dict) else {"points": entry}
        raw, evidence = entry.get("points"), str(entry.get("evidence") or "").strip()
        if raw is None or raw == "":
            parsed[code] = None
            continue
        try:
            points = Decimal(str(raw))
        except InvalidOperation:
            points = None
        if points is None or not points.is_finite() or points != points.quantize(TENTH):
            raise _points_error(
                code,
                _("%(item)s: points with at most one decimal.") % {"item": code},
                "invalid_points",
            )
        if not Decimal("0") <= points <= item.max_points:
            raise _points_error(
                code,
                _("%(item)s: points must lie between 0 and %(max)s.")
                % {"item": code, "max": item.max_points},
                "points_out_of_range",
            )
        if points > 0 and not evidence:
            message = _("%(item)s: say what the points rest on.") % {"item": code}
            raise DomainError(
                message, code="evidence_required", fields={f"{code}.evidence": [message]}
            )
        parsed[code] = {"points": str(round_tenth(points)), "evidence": evidence}
    return parsed


@transaction.atomic
def assignment_score_save(
    *,
    actor: User,
    assignment: ExpertAssignment,
    scores: Mapping[str, Any],
    comment: str | None = None,
) -> ExpertAssignment:
    """Save (part of) the expert's scores of the manual items, without submitting.

    ``scores`` maps item codes to ``{"points", "evidence"}``: points within 0..max points with
    at most one decimal, evidence required above 0; entries given replace the stored ones and
    ``points`` None removes one. Precondition: the expert has declared no conflict and not yet
    submitted (else InvalidTransition).
    """
    application, locked = _lock_sheet(actor, assignment)
    _check_open(application, locked, want=AssignmentStatus.DECLARED)
    parsed = _parse_scores(manual_items(application.campaign.ruleset), scores)
    stored = dict(locked.scores)
    for code, entry in parsed.items():
        if entry is None:
            stored.pop(code, None)
        else:
            stored[code] = entry
    locked.scores = stored
    if comment is not None:
        locked.comment = comment.strip()
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=["scores", "comment"])
    return locked


def sheet_total(application: Application, scores: Mapping[str, Any]) -> Decimal:
    """A sheet's total: the application's automatic points plus the expert's manual points."""
    manual = sum((Decimal(entry["points"]) for entry in scores.values()), Decimal("0"))
    return round_tenth(automatic_points(application) + manual)


@transaction.atomic
def assignment_submit(*, actor: User, assignment: ExpertAssignment) -> ExpertAssignment:
    """Submit the expert's sheet: its total is fixed and it is locked from then on.

    Precondition: every manual item is scored (else DomainError naming the items). Submitting
    a submitted sheet again changes nothing. When this is the panel's last sheet, the panel
    score, spread and flag are written to the application in the same transaction.
    """
    application, locked = _lock_sheet(actor, assignment)
    if locked.status == AssignmentStatus.SUBMITTED:
        return locked
    _check_open(application, locked, want=AssignmentStatus.DECLARED)
    missing = [
        item.code for item in manual_items(application.campaign.ruleset)
        if item.code not in locked.scores
    ]
    if missing:
        raise DomainError(
            _("These items are not scored yet: %(items)s.") % {"items": ", ".join(missing)},
            code="items_not_scored",
            fields={f"{code}.points": [_("Score this item.")] for code in missing},
        )
    locked.total = sheet_total(application, locked.scores)
    locked.status = AssignmentStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=["total", "status", "submitted_at"])
    _panel_update(actor, application)
    return locked
