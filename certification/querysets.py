from accounts.choices import Role
from certification.choices import AssignmentStatus, CertificateStatus
from gansu_sme.querysets import ScopedQuerySet


class EvaluationQuerySet(ScopedQuerySet):
    """Evaluations are seen by whoever sees the enterprise evaluated."""

    region_path_lookup = "enterprise__region__path"


class ApplicationQuerySet(ScopedQuerySet):
    """Applications are seen by the staff whose region covers the enterprise.

    An expert has no region: they see the applications assigned to them, and only once they
    have declared no conflict of interest (the file stays closed until then).
    """

    region_path_lookup = "enterprise__region__path"

    def visible_to(self, user):
        if getattr(user, "role", None) == Role.EXPERT and user.is_active and not user.is_expired:
            return self.filter(
                assignments__expert__user=user,
                assignments__status__in=(AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED),
            )
        return super().visible_to(user)


class AttachmentQuerySet(ScopedQuerySet):
    region_path_lookup = "application__enterprise__region__path"


# Who sees score sheets besides their own expert: the province, which draws and decides, and
# its auditors. County and city staff never do: knowing who reviews their firms, while the
# review runs, would undo the random draw (双随机).
SHEET_READER_ROLES = frozenset({Role.PROVINCIAL_REVIEWER, Role.AUDITOR})


class AssignmentQuerySet(ScopedQuerySet):
    """An expert sees only their own score sheets; provincial reviewers and auditors see the
    sheets of the firms in their region; nobody else sees any."""

    region_path_lookup = "application__enterprise__region__path"

    def visible_to(self, user):
        role = getattr(user, "role", None)
        if role == Role.EXPERT and user.is_active and not user.is_expired:
            return self.filter(expert__user=user)
        if user is None or not (user.is_superuser or role in SHEET_READER_ROLES):
            return self.none()
        return super().visible_to(user)


class CertificateQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"

    def public(self):
        """What anyone may list without login: certificates currently valid."""
        return self.filter(status=CertificateStatus.ACTIVE)
