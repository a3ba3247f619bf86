"""Who may do what in the registry: role sets and predicates that services, selectors, views
and templates share (selectors and pages read them without importing the services)."""

# The role sets stand beside the monitoring workflow's table, which names them as its acts.
from registry.choices import REPORT_FILER_ROLES, REPORT_VERIFIER_ROLES

__all__ = ["REPORT_FILER_ROLES", "REPORT_VERIFIER_ROLES", "report_verifiable_by"]


def report_verifiable_by(actor, report=None):
    """Whether ``actor`` verifies reports at all, or (given one) this report.

    County staff are bound to a county and prefecture staff to their unit, so "the region the
    enterprise sits in is the actor's own" is exactly "county staff of its county, or staff of
    a prefecture unit without counties (嘉峪关, 兰州新区)".
    """
    if actor.role not in REPORT_VERIFIER_ROLES or actor.region_id is None:
        return False
    return report is None or report.enterprise.region_id == actor.region_id
