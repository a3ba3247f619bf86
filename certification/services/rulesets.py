"""Loading rule sets from files (``certification.rubric.files`` says the format).

A file is read and checked whole first (every error with its place in the file), then against
the rule sets held: a code already held with other rules is refused (a revised standard is a
new version with a new code), and so is an active rule set starting on the day another active
one of its kind starts. A period overlapping another active rule set of the kind is reported
as a warning: campaigns whose dates fall in both are refused (``ruleset_for_campaign``) until
an end date is set. Loading writes the rule set and all its items in one transaction, or
nothing; a file equal to the rule set already held under its code changes nothing.
"""

from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from certification.models import RuleItem, RuleSet
from certification.rubric.files import FileError, RuleSetFileInvalid, RuleSetSpec, canonical
from certification.selectors import ruleset_document

CREATED, UNCHANGED, CHECKED = "created", "unchanged", "checked"


@dataclass
class RuleSetLoad:
    """What a load did (``CREATED``, ``UNCHANGED``, or ``CHECKED`` for a dry run), the rule
    set written or held, and the warnings."""

    status: str
    ruleset: RuleSet | None = None
    warnings: list = field(default_factory=list)


def _overlaps(fields):
    start, end = fields["effective_from"], fields["effective_until"]
    others = RuleSet.objects.filter(kind=fields["kind"], is_active=True).exclude(
        code=fields["code"]
    ).filter(Q(effective_until__isnull=True) | Q(effective_until__gte=start))
    if end is not None:
        others = others.filter(effective_from__lte=end)
    return list(others.order_by("effective_from"))


@transaction.atomic
def ruleset_load(*, spec: RuleSetSpec, dry_run: bool = False) -> RuleSetLoad:
    """Load a rule set read from a file (``rubric.files.read_ruleset``) and say what happened.

    Preconditions (else RuleSetFileInvalid listing every error): the code is new, or held with
    exactly these rules (then nothing is written: UNCHANGED); an active rule set does not
    start on the day another active one of its kind starts. ``dry_run`` checks everything and
    writes nothing (CHECKED). Side effects: the RuleSet and its RuleItems, positions in file
    order, in one transaction; history records the command.
    """
    fields = spec.fields
    errors = []
    held = RuleSet.objects.filter(code=fields["code"]).first()
    if held is not None:
        if canonical(ruleset_document(held)) == spec.document():
            return RuleSetLoad(UNCHANGED, held)
        errors.append(FileError(
            "code",
            _("A rule set %(code)s is held with other rules; a revised rule set is a new"
              " version with a new code.") % {"code": fields["code"]},
        ))
    if fields["is_active"]:
        same_day = RuleSet.objects.filter(
            kind=fields["kind"], is_active=True, effective_from=fields["effective_from"]
        ).exclude(code=fields["code"]).first()
        if same_day is not None:
            errors.append(FileError(
                "effective_from",
                _("The active rule set %(code)s of this kind starts on the same day.")
                % {"code": same_day.code},
            ))
    if errors:
        raise RuleSetFileInvalid(errors)
    warnings = []
    if fields["is_active"]:
        for other in _overlaps(fields):
            until = other.effective_until.isoformat() if other.effective_until else "—"
            warnings.append(
                _("The period overlaps that of the active rule set %(code)s (%(start)s –"
                  " %(until)s): campaigns whose dates fall in both are refused until one"
                  " of them has an end date.")
                % {"code": other.code, "start": other.effective_from.isoformat(),
                   "until": until}
            )
    if dry_run:
        return RuleSetLoad(CHECKED, None, warnings)
    ruleset = RuleSet(**fields)
    items = [
        RuleItem(ruleset=ruleset, position=position, **entry)
        for position, entry in enumerate(spec.items, start=1)
    ]
    try:
        ruleset.full_clean()
        for item in items:
            item.full_clean(exclude=["ruleset"], validate_unique=False)
    except ValidationError as error:
        raise RuleSetFileInvalid(
            [FileError(name, message) for name, messages in error.message_dict.items()
             for message in messages]
        ) from error
    with pghistory.context(command="ruleset_load"):
        ruleset.save()
        RuleItem.objects.bulk_create(items)
    return RuleSetLoad(CREATED, ruleset, warnings)
