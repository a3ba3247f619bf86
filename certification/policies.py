"""Who manages the expert pool. Services, selectors and pages share it, so selectors and pages
read it without importing the services. Who acts on an application in each status is
APPLICATION_ACTS in certification.choices, beside the workflow's table."""

from accounts.choices import Role

EXPERT_MANAGER_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})


def can_manage_experts(user):
    return user.is_superuser or (not user.is_read_only and user.role in EXPERT_MANAGER_ROLES)
