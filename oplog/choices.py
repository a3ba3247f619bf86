from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What an operations-log row records. Changes of data are not rows of this log: the history
    triggers keep them (django-pghistory) and the operations page shows them as ``CHANGE``."""

    CHANGE = "change", _("Change of data")
    SIGN_IN = "sign_in", _("Sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Sign-out")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    SIGN_IN_UNLOCKED = "sign_in_unlocked", _("Sign-in unlocked")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_WRITE = "token_write", _("Request with a write token")
    VIEW = "view", _("Viewed personal or financial data")


class Sensitive(models.TextChoices):
    """Data whose every reading is logged (``oplog.viewing.logs_views``)."""

    CONTACTS = "contacts", _("enterprise contacts")
    BANK_ACCOUNTS = "bank_accounts", _("bank accounts")
    AWARDS = "awards", _("award lists")


# The kinds stored in the operations-log table (all but changes).
LOGGED_KINDS = [kind for kind in Kind if kind != Kind.CHANGE]
