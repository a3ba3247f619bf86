from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.demo import demo_data_load


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
                "DJANGO_ENV=production. 生产环境不加载演示数据。"
            )
        result = demo_data_load()
        if result.unchanged:
            self.stdout.write(
                f"Demo data unchanged: {result.accounts_existing} accounts and "
                f"{result.enterprises_existing} enterprises already present. 演示数据无变化。"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {result.accounts_created} accounts created "
                f"({result.accounts_existing} already present), {result.enterprises_created} "
                f"enterprises created ({result.enterprises_existing} already present). "
                "已加载演示数据。"
            )
        )
        self.stdout.write(
            "No administrator account is created; run `python manage.py createsuperuser`."
        )
