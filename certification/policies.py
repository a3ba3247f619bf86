"""Who may act in certification: the owner of an application in each status and who manages
the expert pool. Services, selectors, pages and reports share these, so selectors and pages
read them without importing the services."""

from accounts.choices import Role
from certification.choices import ApplicationStatus, FilingLevel

S = ApplicationStatus

# The role that acts on an application while it waits in a status, for a county-filed and a
# city-filed application. A status that is not listed waits for nobody (or for the system).
OWNER_ROLE = {
    S.DRAFT: {FilingLevel.COUNTY: Role.COUNTY_STAFF, FilingLevel.CITY: Role.CITY_STAFF},
    S.SUBMITTED: {FilingLevel.COUNTY: Role.COUNTY_STAFF, FilingLevel.CITY: Role.CITY_STAFF},
    S.COUNTY_REVIEWED: {FilingLevel.COUNTY: Role.CITY_STAFF},
    S.CITY_RECOMMENDED: {level: Role.PROVINCIAL_REVIEWER for level in FilingLevel},
    S.PROVINCE_ACCEPTED: {level: Role.PROVINCIAL_REVIEWER for level in FilingLevel},
    S.UNDER_EXPERT_REVIEW: {level: Role.PROVINCIAL_REVIEWER for level in FilingLevel},
    S.APPROVED: {level: Role.PROVINCIAL_REVIEWER for level in FilingLevel},
    S.PUBLIC_NOTICE: {level: Role.PROVINCIAL_REVIEWER for level in FilingLevel},
}


def status_owner_role(application):
    """The role an application waits for in its current status, or None."""
    return OWNER_ROLE.get(application.status, {}).get(application.filing_level)


EXPERT_MANAGER_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})


def can_manage_experts(user):
    return user.is_superuser or (not user.is_read_only and user.role in EXPERT_MANAGER_ROLES)
