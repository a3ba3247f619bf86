from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner or an administrator sees it: never the secret, only its first
    characters, to tell tokens apart."""

    owner = serializers.CharField(source="user.username", read_only=True)
    prefix = serializers.SerializerMethodField(help_text=_("The first characters of the token."))
    expired = serializers.BooleanField(source="is_expired", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "owner", "name", "prefix", "write", "created", "expiry", "expired"]
        read_only_fields = fields

    def get_prefix(self, token) -> str:
        return token.token_key[:8]
