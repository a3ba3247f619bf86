import pghistory
from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel
from .querysets import EnterpriseQuerySet, RegionQuerySet
from .validators import validate_uscc


class Region(models.Model):
    """An administrative division of Gansu (GB/T 2260), or 兰州新区 as a prefecture-level unit.

    ``path`` lists the codes from the province down to this region, so "this region and
    everything below it" is one prefix match.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=100, unique=True, editable=False)
    is_standard = models.BooleanField(
        _("GB/T 2260 code"),
        default=True,
        help_text=_("False for units such as 兰州新区 that have no GB/T 2260 code."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=RegionLevel.values),
                name="%(app_label)s_%(class)s_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | models.Q(~models.Q(level=RegionLevel.PROVINCE), parent__isnull=False),
                name="%(app_label)s_%(class)s_only_province_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def can_hold_enterprises(self):
        """Counties hold enterprises; so do prefecture units without counties (嘉峪关, 兰州新区)."""
        if self.level == RegionLevel.COUNTY:
            return True
        return self.level == RegionLevel.PREFECTURE and not self.children.exists()


class Industry(models.Model):
    """A division (大类) of the national industry classification GB/T 4754-2017."""

    code = models.CharField(_("industry code"), max_length=3, unique=True)
    section = models.CharField(_("section"), max_length=1)
    section_name = models.CharField(_("section name"), max_length=50)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-T][0-9]{2}$"),
                name="%(app_label)s_%(class)s_code_shape",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


@pghistory.track()
class Enterprise(models.Model):
    """An enterprise kept in the registry, identified by its unified social credit code."""

    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, e.g. 91620105MA71T4YW8Q."),
    )
    name = models.CharField(_("enterprise name"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    founded_on = models.DateField(_("founding date"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    main_products = models.CharField(_("main products"), max_length=500)
    niche_market = models.CharField(_("niche market"), max_length=200, blank=True)  # 细分市场
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uscc=Upper("uscc"))
                & models.Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
                name="%(app_label)s_%(class)s_uscc_shape",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="registry_ent_updated_id")]

    def __str__(self):
        return self.name
