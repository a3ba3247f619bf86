from gansu_sme.querysets import ScopedQuerySet


class RegionQuerySet(ScopedQuerySet):
    region_path_lookup = "path"


class EnterpriseQuerySet(ScopedQuerySet):
    region_path_lookup = "region__path"
