from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsStaffInRegion(BasePermission):
    """Signed-in, unexpired accounts; read-only roles may only read.

    Which rows a user reaches is decided by ``visible_to`` on each queryset, not here.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or user.is_expired:
            return False
        return request.method in SAFE_METHODS or not user.is_read_only
