"""Columns of the HTML pool pages; sort links come from ``sort_headers``."""

from django.utils.translation import gettext_lazy as _

from registry.models import PoolEntry

from .enterprises import Column


def _label(name):
    return PoolEntry._meta.get_field(name).verbose_name


POOL_COLUMNS = (
    Column(_("enterprise name"), "enterprise_name"),
    Column(_("region")),
    Column(_label("tier")),
    Column(_("Track or category")),
    Column(_label("admission_year"), "admission_year"),
    Column(_label("contact_officer")),
    Column(_label("status")),
    Column(_label("admitted_at"), "admitted_at"),
)

# What the pool pages show with no ``ordering`` parameter: PoolEntry.Meta.ordering.
POOL_DEFAULT_ORDERING = "-admitted_at"
