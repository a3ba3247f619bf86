from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A reference by code that only accepts rows inside the requesting user's region.

    A code outside the region gets the same message as a code that does not exist, so the
    answer says the choice is not allowed without telling whether such a row exists.
    """

    default_error_messages = {
        "does_not_exist": _("{value} does not exist or is outside your jurisdiction."),
        "invalid": _("Invalid value."),
    }

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)
