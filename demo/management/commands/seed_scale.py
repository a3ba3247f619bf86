"""Load synthetic firms at national scale for benchmarks: ``manage.py seed_scale --enterprises
1000000 --years 5``. Needs the reference data and demo accounts (``load_demo``) first."""

from django.core.management.base import BaseCommand

from demo.scale import seed_scale


class Command(BaseCommand):
    help = "Load N synthetic firms with figures, pool entries, applications and awards (COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, required=True)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--last-year", type=int, default=None)

    def handle(self, *, enterprises, years, last_year, **options):
        counts = seed_scale(enterprises=enterprises, years=years, last_year=last_year)
        self.stdout.write(
            f"{counts.enterprises} enterprises, {counts.reports} monitoring reports, "
            f"{counts.pool_entries} pool entries, {counts.applications} applications, "
            f"{counts.certificates} certificates, {counts.entitlements} awards "
            f"in {counts.seconds:.1f} s"
        )
