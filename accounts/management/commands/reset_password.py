from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User
from gansu_sme.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Give an account a temporary password and print it once; the user must replace it at "
        "the next sign-in. For an intranet without e-mail, where the admin site is out of reach."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account to reset")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(_("No user named %(name)r.") % {"name": username}) from exc
        try:
            password = services.password_reset(actor=None, user=user)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(password)
