"""Base classes every API viewset of the project starts from."""


class ScopedViewSetMixin:
    """Build each request's queryset from ``visible_to(request.user)``, the one scoping rule.

    Rows outside the user's region are absent rather than forbidden, so lists, filters and
    cursors never include them and a detail lookup of one answers 404, exactly as for a row
    that does not exist. Views declare only eager loading on ``queryset`` and never filter by
    region themselves.
    """

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
