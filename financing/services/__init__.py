"""Every state-changing use case of the financing app."""

from .common import NEED_WORKFLOW, OUTCOME_WORKFLOW
from .credit import credit_admit, credit_rating_record, may_keep_credit_list
from .events import (
    event_create,
    event_invite,
    event_put_needs,
    may_organise,
    outcome_actions,
    outcome_contact,
    outcome_grant,
    outcome_refuse,
    outcome_review,
)
from .imports import NeedImport, need_import
from .needs import (
    NEED_FIELDS,
    may_file,
    need_actions,
    need_check,
    need_close,
    need_file,
    need_withdraw,
)

__all__ = [
    "NEED_FIELDS",
    "NEED_WORKFLOW",
    "OUTCOME_WORKFLOW",
    "NeedImport",
    "credit_admit",
    "credit_rating_record",
    "event_create",
    "event_invite",
    "event_put_needs",
    "may_file",
    "may_keep_credit_list",
    "may_organise",
    "need_actions",
    "need_check",
    "need_close",
    "need_file",
    "need_import",
    "need_withdraw",
    "outcome_actions",
    "outcome_contact",
    "outcome_grant",
    "outcome_refuse",
    "outcome_review",
]
