"""Recompute the kept region figures from the monitoring reports now (what the nightly task
does): after migrating an existing database, or after loading rows around the services."""

from django.core.management.base import BaseCommand

from registry.services.figures import region_figures_reconcile


class Command(BaseCommand):
    help = "Recompute every region figure from the monitoring reports; print how many differed."

    def handle(self, **options):
        differed = region_figures_reconcile()
        self.stdout.write(f"{differed} region figures differed from the reports and were rewritten")
