from gansu_sme.querysets import ScopedQuerySet


class EvaluationQuerySet(ScopedQuerySet):
    """Evaluations are seen by whoever sees the enterprise evaluated."""

    region_path_lookup = "enterprise__region__path"
