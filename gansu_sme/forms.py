"""What every form shares."""

from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Shows what a service refused next to the fields it names."""

    def add_service_error(self, error):
        if isinstance(error, ValidationError):
            messages = error.update_error_dict({})
        else:
            messages = error.fields or {None: [error.message]}
        for field, field_messages in messages.items():
            self.add_error(field if field in self.fields else None, field_messages)
