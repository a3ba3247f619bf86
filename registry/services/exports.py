"""The log of Excel downloads: who exported which list, under which filters, how many rows.

The exports themselves are written by the list pages' adapter (``gansu_sme.lists``) from each
list's column spec, through the FilterSet and selector of its page, so the rows are those the
page shows, scoped by ``visible_to`` alike.
"""

from typing import Any

from accounts.models import User
from registry.models import ExportRecord


def export_record(
    *, actor: User, listing: str, filters: dict[str, Any], row_count: int
) -> ExportRecord:
    """Record that ``actor`` downloaded ``row_count`` rows of ``listing`` under ``filters``."""
    return ExportRecord.objects.create(
        user=actor, listing=listing, filters=filters, row_count=row_count
    )
