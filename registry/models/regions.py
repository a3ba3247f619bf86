import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import RegionLevel
from registry.querysets import RegionQuerySet


@pghistory.track()
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
        help_text=_("False for units such as Lanzhou New Area that have no GB/T 2260 code."),
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


@pghistory.track()
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
class IndustryClass(models.Model):
    """A class (小类, 4 digits) of GB/T 4754-2017, with its group (中类) and its division (大类,
    an Industry row, which carries the section). Loaded from data/gbt4754_2017_classes.csv."""

    code = models.CharField(_("industry class code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    group_code = models.CharField(_("group code"), max_length=3)
    group_name = models.CharField(_("group name"), max_length=100)
    division = models.ForeignKey(
        Industry, verbose_name=_("division"), on_delete=models.PROTECT, related_name="classes"
    )

    class Meta:
        verbose_name = _("industry class")
        verbose_name_plural = _("industry classes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{4}$"),
                name="%(app_label)s_%(class)s_code_shape",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
