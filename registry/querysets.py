from gansu_sme.querysets import ScopedQuerySet


class RegionQuerySet(ScopedQuerySet):
    region_path_lookup = "path"


class EnterpriseQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"


class RegionFigureQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"


class MonitoringReportQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"


class PoolEntryQuerySet(ScopedQuerySet):
    region_path_lookup = "enterprise__region__path"


class PoolChildQuerySet(ScopedQuerySet):
    """Plans and visits belong to a pool entry and are seen by whoever sees the entry."""

    region_path_lookup = "entry__enterprise__region__path"


class TargetQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"
