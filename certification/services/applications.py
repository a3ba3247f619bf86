"""Applications from filing to the province's acceptance, and the way back (return, withdraw).

Every change of status goes through ``application_transition``; the services here add what a
verb needs beyond the table: the evidence and pre-check of a submission, the city's quota.
"""

from typing import Any

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from certification import rubric
from certification.choices import (
    FILER_ROLE,
    ApplicationStatus,
    AttachmentKind,
    CampaignKind,
    CertificateStatus,
    FilingLevel,
    Outcome,
    Verb,
)
from certification.models import Application, Campaign, CampaignQuota, Certificate
from certification.services.evaluations import evaluation_run
from certification.services.workflow import APPLICATION_WORKFLOW, application_transition
from gansu_sme import formatting, workflow
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import Enterprise

S = ApplicationStatus
APPLICATION_FILER_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})
FILING_LEVEL_OF_ROLE: dict[str, FilingLevel] = {
    Role.COUNTY_STAFF: FilingLevel.COUNTY, Role.CITY_STAFF: FilingLevel.CITY
}
EDITABLE_STATUSES = frozenset({S.DRAFT})
# Statuses that hold one of the city's recommendation places in a campaign.
QUOTA_STATUSES = frozenset({
    S.CITY_RECOMMENDED, S.PROVINCE_ACCEPTED, S.UNDER_EXPERT_REVIEW, S.APPROVED, S.REJECTED,
    S.PUBLIC_NOTICE, S.CERTIFIED, S.RECOMMENDED,
})
# What a re-review (复核) may renew: a certificate still valid, or one that lapsed during the
# campaign's own filing round.
RENEWABLE_STATUSES = (CertificateStatus.ACTIVE, CertificateStatus.EXPIRED)
ALREADY_FILED = _("The enterprise already has an application in this campaign.")


def can_file(user: User) -> bool:
    return user.is_superuser or (user.role in APPLICATION_FILER_ROLES and not user.is_expired)


def _window_open(campaign, today=None):
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


def _window_error(campaign):
    message = _(
        "Filing for the campaign “%(title)s” is open from %(opens)s to %(closes)s only."
    ) % {"title": campaign.title, "opens": campaign.opens_on, "closes": campaign.closes_on}
    return DomainError(message, code="filing_closed", fields={"campaign": [message]})


def _check_inputs(campaign, manual_inputs, declared_figures):
    errors = {}
    try:
        rubric.parse_inputs(campaign.ruleset.as_rules(), manual_inputs)
    except rubric.InvalidInput as error:
        errors["manual_inputs"] = [f"{code}: {text}" for code, text in error.errors.items()]
    try:
        rubric.parse_declared(declared_figures)
    except rubric.InvalidInput as error:
        errors["declared_figures"] = [f"{name}: {text}" for name, text in error.errors.items()]
    if errors:
        raise DomainError(
            _("Some manual entries or declared figures are invalid."),
            code="invalid_inputs", fields=errors,
        )


def _check_renews(campaign, enterprise, renews):
    if campaign.kind != CampaignKind.RE_REVIEW:
        if renews is not None:
            message = _("Only a re-review renews a certificate.")
            raise DomainError(message, code="renewal_not_re_review", fields={"renews": [message]})
        return
    message = _("A re-review must name a valid or expiring certificate of this enterprise.")
    code = "renewal_certificate_required"
    if renews is None:
        raise DomainError(message, code=code, fields={"renews": [message]})
    renewable = (
        Certificate.objects.filter(
            pk=renews.pk, enterprise=enterprise, status__in=RENEWABLE_STATUSES
        )
        .filter(valid_until__gte=campaign.opens_on)
        .exists()
    )
    if not renewable:
        raise DomainError(message, code=code, fields={"renews": [message]})


def _check_filer(actor, application):
    if actor.is_superuser:
        return
    if actor.is_read_only or actor.role != FILER_ROLE[application.filing_level]:
        raise PermissionDenied()


@transaction.atomic
def application_create(
    *,
    actor: User,
    campaign: Campaign,
    enterprise: Enterprise,
    summary: str = "",
    manual_inputs: dict[str, Any] | None = None,
    declared_figures: dict[str, Any] | None = None,
    renews: Certificate | None = None,
) -> Application:
    """File a draft application for an enterprise in a campaign and return it.

    Preconditions: ``actor`` is county staff (for a firm of their county) or city staff (for a
    firm of their prefecture: a city filing, without county stage); the enterprise lies in the
    actor's region (else OutOfScope) and is active; the campaign's filing window is open; the
    firm has no live application in the campaign; a re-review names the certificate it renews
    (the firm's, valid or expiring); manual inputs and declared figures fit the rule set.

    Side effects: the draft is written with its filing level; history names the actor. The
    firm's own paper application is attached afterwards (``attachment_add``) and is required
    before submission.
    """
    if actor.is_read_only or not can_file(actor):
        raise PermissionDenied()
    enterprise = Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).first()
    if enterprise is None:
        raise OutOfScope()
    if not enterprise.is_active:
        message = _("This enterprise is inactive.")
        raise DomainError(message, code="enterprise_inactive", fields={"enterprise": [message]})
    if not _window_open(campaign):
        raise _window_error(campaign)
    if campaign.applications.filter(enterprise=enterprise).exclude(status=S.WITHDRAWN).exists():
        raise DomainError(
            ALREADY_FILED, code="already_filed", fields={"enterprise": [ALREADY_FILED]}
        )
    manual_inputs, declared_figures = manual_inputs or {}, declared_figures or {}
    _check_inputs(campaign, manual_inputs, declared_figures)
    _check_renews(campaign, enterprise, renews)
    application = Application(
        campaign=campaign,
        enterprise=enterprise,
        filing_level=FILING_LEVEL_OF_ROLE.get(actor.role, FilingLevel.COUNTY),
        renews=renews,
        summary=summary,
        manual_inputs=manual_inputs,
        declared_figures=declared_figures,
        created_by=actor,
    )
    application.full_clean(exclude=["campaign", "enterprise", "renews", "created_by"])
    try:
        # A second filing racing this one passes the check above; the database refuses it.
        with transaction.atomic(), pghistory.context(user=actor.pk):
            application.save()
    except IntegrityError as exc:
        raise DomainError(
            ALREADY_FILED, code="already_filed", fields={"enterprise": [ALREADY_FILED]}
        ) from exc
    return application


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application,
    summary: str | None = None,
    manual_inputs: dict[str, Any] | None = None,
    declared_figures: dict[str, Any] | None = None,
    renews: Certificate | None = None,
) -> Application:
    """Change a draft's summary, manual inputs, declared figures or renewed certificate.

    Preconditions: the application is a draft (new, or returned to the filing side), and
    ``actor`` is of its filing side and sees it. Arguments left None are kept.
    Side effects: the row is saved under a lock; history names the actor.
    """
    locked = workflow.lock(APPLICATION_WORKFLOW, actor, application)
    _check_filer(actor, locked)
    if locked.status not in EDITABLE_STATUSES:
        raise DomainError(_("Only a draft application can be changed."), code="not_draft")
    if summary is not None:
        locked.summary = summary
    if manual_inputs is not None:
        locked.manual_inputs = manual_inputs
    if declared_figures is not None:
        locked.declared_figures = declared_figures
    if renews is not None:
        locked.renews = renews
    _check_inputs(locked.campaign, locked.manual_inputs, locked.declared_figures)
    _check_renews(locked.campaign, locked.enterprise, locked.renews)
    locked.full_clean(exclude=["campaign", "enterprise", "renews", "created_by", "evaluation"])
    with pghistory.context(user=actor.pk):
        locked.save()
    return locked


def _failed_message(evaluation):
    # The engine's reasons already name each failing item with its code and title.
    # They are stored in both languages; the message takes those of the request.
    failing = [r for r in evaluation.summary.get("reasons", []) if r.get("item")]
    separator = formatting.in_language("；", "; ")
    reasons = separator.join(formatting.in_language(r["zh"], r["en"]) for r in failing)
    return _("The pre-check failed: %(reasons)s.") % {"reasons": reasons}


@transaction.atomic
def application_submit(
    *, actor: User, application: Application, expected_status: str | None = None
) -> Application:
    """Submit a draft for review and return it.

    Preconditions: the application is a draft of the actor's filing side; the enterprise's
    own paper application is attached (AttachmentKind.PAPER_APPLICATION); the filing window
    is open, unless the application was submitted before and came back; the pre-check of the
    campaign's rule set, over the verified figures of the year before the campaign, is not
    "failed" (an "incomplete" one passes: manual items are scored later).

    Side effects: the evaluation is stored and linked as ``application.evaluation``; the
    transition to SUBMITTED is recorded and the county review deadline starts. A second
    submit of the same application writes nothing (idempotent).
    """
    locked = workflow.lock(APPLICATION_WORKFLOW, actor, application)
    if locked.status != S.DRAFT or (expected_status and expected_status != locked.status):
        # Already moved on: the transition service answers idempotently or refuses.
        return application_transition(
            actor=actor, application=locked, verb=Verb.SUBMIT, expected_status=expected_status
        )
    _check_filer(actor, locked)
    if not locked.attachments.filter(kind=AttachmentKind.PAPER_APPLICATION).exists():
        message = _("Attach the enterprise's signed application before submitting.")
        raise DomainError(
            message, code="paper_application_missing", fields={"attachments": [message]}
        )
    resubmission = locked.transitions.filter(verb=Verb.SUBMIT).exists()
    if not resubmission and not _window_open(locked.campaign):
        raise _window_error(locked.campaign)
    evaluation = evaluation_run(
        actor=actor,
        enterprise=locked.enterprise,
        ruleset=locked.campaign.ruleset,
        manual_inputs=locked.manual_inputs,
        declared_figures=locked.declared_figures,
        year=locked.campaign.year - 1,
    )
    if evaluation.outcome == Outcome.FAILED:
        # The refusal rolls the evaluation back with the rest: what failed is in the message.
        message = _failed_message(evaluation)
        raise DomainError(message, code="precheck_failed", fields={"evaluation": [message]})

    def attach(row):
        row.evaluation = evaluation

    return application_transition(
        actor=actor, application=locked, verb=Verb.SUBMIT, expected_status=expected_status,
        apply=attach,
    )


def application_review(
    *, actor: User, application: Application, expected_status: str | None = None
) -> Application:
    """County review passed (初审通过): SUBMITTED → COUNTY_REVIEWED, by the county.

    Side effects: the city recommendation deadline starts; a transition row is written.
    """
    return application_transition(
        actor=actor, application=application, verb=Verb.REVIEW, expected_status=expected_status
    )


def _quota_check(locked):
    """Refuse a recommendation beyond the prefecture's quota in the campaign.

    The quota row is locked, so two recommendations at once cannot both take the last place.
    """
    codes = locked.enterprise.region.path.split("/")
    ancestors = ["/".join(codes[: n + 1]) for n in range(len(codes))]
    quota = (
        CampaignQuota.objects.select_for_update()
        .select_related("region")
        .filter(campaign=locked.campaign, region__path__in=ancestors)
        .first()
    )
    if quota is None:
        return
    used = (
        Application.objects.filter(campaign=locked.campaign, status__in=QUOTA_STATUSES)
        .within(quota.region.path)
        .exclude(pk=locked.pk)
        .count()
    )
    if used >= quota.quota:
        raise DomainError(
            _("%(region)s has used all %(quota)s recommendation places of this campaign.")
            % {"region": quota.region.name, "quota": quota.quota},
            code="quota_used_up",
        )


def application_recommend(
    *,
    actor: User,
    application: Application,
    opinion: str,
    expected_status: str | None = None,
) -> Application:
    """The city recommends (推荐) the application to the province, with its opinion (推荐意见).

    Preconditions: county-filed and COUNTY_REVIEWED, or city-filed and SUBMITTED; the actor
    is city staff of the firm's prefecture; ``opinion`` is not blank (DomainError
    ``opinion_required``); the prefecture's quota in the campaign, if any, is not used up.
    Side effects: the province's decision deadline starts; the transition row keeps the
    opinion as its reason, where the application page and the city's summary read it.
    """
    opinion = (opinion or "").strip()
    if not opinion:
        message = _("Give the city's recommendation opinion.")
        raise DomainError(message, code="opinion_required", fields={"opinion": [message]})
    return application_transition(
        actor=actor, application=application, verb=Verb.RECOMMEND, reason=opinion,
        expected_status=expected_status, guard=_quota_check,
    )


def application_accept(
    *, actor: User, application: Application, expected_status: str | None = None
) -> Application:
    """The province accepts (受理) a recommended application; a transition row is written."""
    return application_transition(
        actor=actor, application=application, verb=Verb.ACCEPT, expected_status=expected_status
    )


def application_return(
    *, actor: User, application: Application, reason: str, expected_status: str | None = None
) -> Application:
    """Send an application back to the previous owner's stage, with a reason.

    Preconditions: the actor owns the stage the application waits in (county for SUBMITTED,
    city for COUNTY_REVIEWED, province for CITY_RECOMMENDED and PROVINCE_ACCEPTED); a reason.
    Pass ``expected_status`` (the status the user saw): a return that lands in a status it may
    leave again is then not repeated by a second click.
    """
    return application_transition(
        actor=actor, application=application, verb=Verb.RETURN, reason=reason,
        expected_status=expected_status,
    )


def application_withdraw(
    *, actor: User, application: Application, reason: str, expected_status: str | None = None
) -> Application:
    """The filing side withdraws the application (撤回), with a reason; it is final.

    A withdrawn application frees the firm to file again in the same campaign.
    """
    return application_transition(
        actor=actor, application=application, verb=Verb.WITHDRAW, reason=reason,
        expected_status=expected_status,
    )


# The verb services of this module, for pages and the API that dispatch on a verb.
VERB_SERVICES = {
    Verb.SUBMIT: application_submit,
    Verb.REVIEW: application_review,
    Verb.RECOMMEND: application_recommend,
    Verb.ACCEPT: application_accept,
    Verb.RETURN: application_return,
    Verb.WITHDRAW: application_withdraw,
}
