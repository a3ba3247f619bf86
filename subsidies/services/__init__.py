"""State-changing use cases of the subsidy app, one module per area."""

from .accounts import account_confirm, account_record, account_reject, account_verbs
from .batches import (
    BATCH_VERB_SERVICES,
    batch_add_entitlements,
    batch_approve,
    batch_cancel,
    batch_create,
    batch_pay,
    batch_remove_entitlement,
    batch_submit,
    batch_verbs,
)
from .budgets import allocation_set, budget_create, budget_update
from .city_rewards import city_reward_compute, city_scale_changes
from .common import FINANCE_ROLES, PROJECT_SUBMITTER_ROLES, is_finance
from .entitlements import (
    entitlement_approve,
    entitlement_cancel,
    entitlement_create,
    entitlement_from_certificate,
    entitlement_record_recovery,
    entitlements_clawback,
    entitlements_reconcile,
)
from .exports import batch_bank_file
from .programs import program_pair_set, program_update
from .projects import (
    project_approve,
    project_reject,
    project_submit,
    project_verbs,
    project_vouch,
)

__all__ = [
    "BATCH_VERB_SERVICES",
    "FINANCE_ROLES",
    "PROJECT_SUBMITTER_ROLES",
    "account_confirm",
    "account_record",
    "account_reject",
    "account_verbs",
    "allocation_set",
    "batch_add_entitlements",
    "batch_approve",
    "batch_bank_file",
    "batch_cancel",
    "batch_create",
    "batch_pay",
    "batch_remove_entitlement",
    "batch_submit",
    "batch_verbs",
    "budget_create",
    "budget_update",
    "city_reward_compute",
    "city_scale_changes",
    "entitlement_approve",
    "entitlement_cancel",
    "entitlement_create",
    "entitlement_from_certificate",
    "entitlement_record_recovery",
    "entitlements_clawback",
    "entitlements_reconcile",
    "is_finance",
    "program_pair_set",
    "program_update",
    "project_approve",
    "project_reject",
    "project_submit",
    "project_verbs",
    "project_vouch",
]
