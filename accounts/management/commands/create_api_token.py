from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User
from gansu_sme.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it once; only its hash is stored. The token "
        "expires after API_TOKEN_DAYS days unless --expires-days says otherwise, and may only "
        "read unless --write is given for an account whose role writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username the token acts as")
        parser.add_argument(
            "--expires-days", type=int, default=None,
            help="days until expiry (default: the API_TOKEN_DAYS setting)",
        )
        parser.add_argument(
            "--write", action="store_true",
            help="let the token write, as its owner's role allows (refused for read-only roles)",
        )
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, user, expires_days, write, name, **options):
        try:
            owner = User.objects.get(username=user)
        except User.DoesNotExist as exc:
            raise CommandError(_("No user named %(name)r.") % {"name": user}) from exc
        if expires_days is not None and expires_days <= 0:
            raise CommandError(_("--expires-days must be a positive number."))
        try:
            _token, secret = services.token_issue(
                actor=None, owner=owner, write=write, days=expires_days, name=name
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(secret)
