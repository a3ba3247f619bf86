"""Read paths of certification that are more than a plain filter, one module per area."""

from .applications import (
    application_decision,
    application_get,
    application_list,
    application_opinion,
    application_transitions,
    applications_waiting_for,
    attachment_get,
    evaluation_get,
    evaluation_list,
    firms_for_filing,
)
from .campaigns import campaign_get, campaign_list, campaigns_open_for_filing, can_read_campaigns
from .rules import evaluation_facts, ruleset_current, ruleset_document, ruleset_for_campaign

__all__ = [
    "application_decision",
    "application_get",
    "application_list",
    "application_opinion",
    "application_transitions",
    "applications_waiting_for",
    "attachment_get",
    "campaign_get",
    "campaign_list",
    "campaigns_open_for_filing",
    "can_read_campaigns",
    "evaluation_facts",
    "evaluation_get",
    "evaluation_list",
    "firms_for_filing",
    "ruleset_current",
    "ruleset_document",
    "ruleset_for_campaign",
]
