import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from registry import sizeclass
from registry.choices import SizeClass
from registry.querysets import EnterpriseQuerySet
from registry.validators import validate_uscc

from .regions import Industry, IndustryClass, Region


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
    # The class (小类) is optional: records from before classes were kept carry the division
    # only until someone chooses a class, which must lie in the division (clean).
    industry_class = models.ForeignKey(
        IndustryClass,
        verbose_name=_("industry class"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        null=True,
        blank=True,
    )
    main_products = models.CharField(_("main products"), max_length=500)
    niche_market = models.CharField(_("niche market"), max_length=200, blank=True)  # 细分市场
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Derived from the latest verified annual monitoring report, never typed; the history
    # triggers record when each changed.
    # Database defaults as well, so rows inserted outside Django (imports, SQL) start blank.
    size_class = models.CharField(
        _("size class"),
        max_length=8,
        choices=SizeClass.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    is_above_scale = models.BooleanField(
        _("above designated size"), default=False, db_default=False, editable=False
    )
    figures_year = models.PositiveSmallIntegerField(
        _("year of the figures"), null=True, blank=True, editable=False
    )
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
        indexes = [
            models.Index(fields=["updated_at", "id"], name="registry_ent_updated_id"),
            # The list's default order (name, then id) and its keyset seek.
            models.Index(fields=["name", "id"], name="registry_ent_name_id"),
            # Search by any part of the name or the credit code (``icontains`` compares
            # upper-cased text): trigrams, so ``LIKE '%…%'`` reads the index, not the table.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="registry_ent_name_trgm"),
            GinIndex(OpClass(Upper("uscc"), name="gin_trgm_ops"), name="registry_ent_uscc_trgm"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.industry_class_id is not None
            and self.industry_id is not None
            and self.industry_class.division_id != self.industry_id
        ):
            raise ValidationError(
                {"industry_class": ValidationError(
                    _("Industry class %(code)s is not in the division chosen."),
                    code="industry_class_other_division",
                    params={"code": self.industry_class.code},
                )}
            )

    @property
    def size_class_not_classed(self):
        """Why the size standard gives this enterprise's industry no class (a
        ``sizeclass.NotClassed``), or None when it does."""
        return sizeclass.not_classed(self.industry.code)
