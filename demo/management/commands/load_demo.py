from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.certification import demo_certification_load
from demo.financing import demo_financing_load
from demo.monitoring import demo_monitoring_load
from demo.plans import demo_plans_load
from demo.pool import demo_pool_load
from demo.registry import demo_data_load
from demo.reports import demo_reports_load
from demo.subsidies import demo_subsidies_load


class Command(BaseCommand):
    help = (
        "Create the demo accounts (password: settings.DEMO_PASSWORD) and demo enterprises that "
        "do not exist yet. Safe to re-run: existing rows are left as they are. No administrator "
        "is created; make one with `python manage.py createsuperuser`."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "Demo accounts share a published password; load_demo refuses to run with "
                "DJANGO_ENV=production."
            )
        result = demo_data_load()
        monitoring = demo_monitoring_load()
        if monitoring.unchanged:
            self.stdout.write("Demo monitoring figures unchanged.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo monitoring figures loaded: {monitoring.reports_created} reports "
                    f"created, size class derived for {monitoring.enterprises_refreshed} "
                    "enterprises."
                )
            )
        # Last, after any other demo data: the pool's categories come from the demo figures.
        pool = demo_pool_load()
        self._write_pool(pool)
        # Before subsidies: its awards react to the certificates issued here.
        certification = demo_certification_load()
        if not certification.unchanged:
            self.stdout.write(self.style.SUCCESS(
                f"Demo certification loaded: {certification.experts} experts, "
                f"{certification.applications} applications, {certification.certificates} "
                "certificates."
            ))
        subsidies = demo_subsidies_load()
        if not subsidies.unchanged:
            self.stdout.write(self.style.SUCCESS(
                f"Demo subsidies loaded: {subsidies.entitlements} awards, one paid batch."
            ))
        # After certification: the report counts the needs of certified firms.
        financing = demo_financing_load()
        if not financing.unchanged:
            self.stdout.write(self.style.SUCCESS(
                f"Demo financing loaded: {financing.needs} needs, one matching event."
            ))
        # The 2018 plan's years, after the current data it is drawn back from.
        plans = demo_plans_load()
        if not plans.unchanged:
            self.stdout.write(self.style.SUCCESS(
                f"Demo 2018–2020 plan history loaded: {plans.reports} annual reports, "
                f"{plans.pool_entries} pool entries, {plans.certificates} certificates, "
                f"{plans.figures} hand-entered figures."
            ))
        # After every other demo load: reports and reminders are computed from all of it.
        demo_reports = demo_reports_load()
        self.stdout.write(
            f"Demo reports generated: {demo_reports.reports} reports, "
            f"{demo_reports.notifications} new notifications."
        )
        if result.unchanged:
            self.stdout.write(
                f"Demo data unchanged: {result.accounts_existing} accounts and "
                f"{result.enterprises_existing} enterprises already present."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result.accounts_created} accounts created "
                f"({result.accounts_existing} already present), {result.enterprises_created} "
                f"enterprises created ({result.enterprises_existing} already present)."
            )
        )
        self.stdout.write(
            "No administrator account is created; run `python manage.py createsuperuser`."
        )

    def _write_pool(self, pool):
        if pool.unchanged:
            self.stdout.write("Demo pool and targets unchanged.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo pool loaded: {pool.entries_created} pool entries, {pool.plans_created} "
                f"plans, {pool.visits_created} visits and {pool.targets_created} targets "
                "created."
            )
        )
