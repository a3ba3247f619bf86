import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from .choices import READ_ONLY_ROLES, REGION_LEVEL_LABELS, ROLE_REGION_LEVEL, Role


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The role column only accepts real roles, and createsuperuser does not ask for one; an
        # administrator acts at provincial level (visible_to already lets a superuser see all).
        extra_fields.setdefault("role", Role.PROVINCIAL_REVIEWER)
        return super().create_superuser(username, email, password, **extra_fields)


# Changes of role, region, expiry and activity are history an auditor reads; the password hash
# and the sign-in time are not (sign-ins are in the operations log).
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person or machine using the registry, bound to a role and (for most roles) a region."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    expires_on = models.DateField(
        _("account expires on"),
        null=True,
        blank=True,
        help_text=_("From this date on the account can no longer sign in or use tokens."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when an administrator sets or resets the password; the user is sent to the "
            "password change page until they choose their own."
        ),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="%(app_label)s_%(class)s_role_valid",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        level = ROLE_REGION_LEVEL.get(self.role)
        if level is None:
            if self.region_id is not None:
                raise ValidationError({"region": ValidationError(
                    _("This role is not bound to a region."), code="region_not_allowed"
                )})
            return
        if self.region_id is None:
            raise ValidationError({"region": ValidationError(
                _("This role must be bound to a region."), code="region_required"
            )})
        if level != "any" and self.region.level != level:
            raise ValidationError({"region": ValidationError(
                _("A %(role)s must be bound to a %(level)s-level region."),
                code="region_level",
                params={"role": self.get_role_display(), "level": REGION_LEVEL_LABELS[level]},
            )})

    def has_role(self, *roles):
        """Whether this user holds one of ``roles``; a superuser holds every role."""
        return self.is_superuser or self.role in roles

    @property
    def is_expired(self):
        return self.expires_on is not None and timezone.localdate() >= self.expires_on

    @property
    def is_read_only(self):
        return self.role in READ_ONLY_ROLES

    @property
    def sees_regions(self):
        """Whether region-scoped pages and lists are for this user: superusers and every role
        bound to a region, not experts (who would find every such list empty)."""
        return self.is_superuser or self.scope_path is not None

    @property
    def scope_path(self):
        """The region path this user sees at and below; None when the user sees no region."""
        # A region left on a regionless role (an expert) must not open that region's rows.
        if self.region_id is None or ROLE_REGION_LEVEL.get(self.role) is None:
            return None
        return self.region.path


class ApiToken(AbstractAuthToken):
    """A credential a machine sends as ``Authorization: Bearer <token>`` (knox stores only its
    digest and its first characters, ``token_key``, to find it).

    It expires (``API_TOKEN_DAYS`` by default), is revoked by deleting it, and may only read
    unless issued for writing on purpose (``create_api_token --write``) to an account whose role
    writes; every request made with a write token is in the operations log.
    """

    # knox keys tokens by their digest; a plain key names a token in pages, URLs and the log
    # without handing out anything derived from the secret.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(_("digest"), max_length=128, unique=True)
    name = models.CharField(
        _("name"), max_length=100, blank=True,
        help_text=_("What the token is for: the system or person that uses it."),
    )
    write = models.BooleanField(
        _("may write"), default=False,
        help_text=_("Issued on purpose to write for an account whose role writes; otherwise "
                    "the token may only read."),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.name or f"{self.token_key[:8]}…"

    @property
    def is_expired(self):
        return self.expiry is not None and self.expiry <= timezone.now()
