from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from knox.models import AuthToken


class Command(BaseCommand):
    help = "Create an API token for a user and print it once; only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username the token acts as")
        parser.add_argument("--expires-days", type=int, default=None, help="days until expiry")

    def handle(self, *args, user, expires_days, **options):
        try:
            owner = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(_("No user named %(name)r.") % {"name": user}) from exc
        if expires_days is not None and expires_days <= 0:
            raise CommandError(_("--expires-days must be a positive number."))
        expiry = timedelta(days=expires_days) if expires_days else None
        _instance, token = AuthToken.objects.create(user=owner, expiry=expiry)
        self.stdout.write(token)
