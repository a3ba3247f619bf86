from django.contrib.auth.backends import ModelBackend


class ExpiringModelBackend(ModelBackend):
    """Model backend that also refuses accounts past their expiry date, for new and old sessions."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_expired", False)
