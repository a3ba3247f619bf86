from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsStaffInRegion(BasePermission):
    """Signed-in, unexpired accounts; read-only roles may only read.

    A view that names ``write_roles`` (taken from the service that does the writing) lets only
    those roles write, so a wrong role hears 403 before its input is even validated; the
    service checks the role again. Which rows a user reaches is decided by ``visible_to`` on
    each queryset, not here.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or user.is_expired:
            return False
        if request.method in SAFE_METHODS:
            return True
        if user.is_read_only:
            return False
        write_roles = getattr(view, "write_roles", None)
        return write_roles is None or user.has_role(*write_roles)
