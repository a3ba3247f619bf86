from django.core.exceptions import ValidationError

from . import uscc


def validate_uscc(value):
    try:
        uscc.validate(value)
    except uscc.USCCError as exc:
        raise ValidationError(exc.message, code=f"uscc_{exc.code}") from exc
