from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api.serializers import ApiTokenSerializer
from accounts.models import ApiToken
from gansu_sme.api.viewsets import ScopedViewSet


class IsActiveAccount(BasePermission):
    """Any signed-in, unexpired account: everyone manages their own tokens."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and not user.is_expired)


def _tokens(*, user):
    return selectors.token_list(actor=user, everyone=True)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """API tokens: one's own, or every account's for an administrator; ``revoke`` ends one at
    once. A read-only token may revoke tokens too: revoking only takes power away."""

    # The model, for the schema generator; rows come from the selector.
    queryset = ApiToken.objects.none()
    selector = _tokens
    serializer_class = ApiTokenSerializer
    permission_classes = [IsActiveAccount]
    ordering = ("-created", "-id")
    read_only_tokens_may_write = True

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        services.token_revoke(actor=request.user, token=self.get_object(), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
