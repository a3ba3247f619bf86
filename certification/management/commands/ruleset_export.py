"""manage.py ruleset_export CODE [-o FILE]: write a rule set held in the database as a YAML
rule-set file, which ruleset_load reads back to the same rule set."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.models import RuleSet
from certification.rubric.files import dump_ruleset
from certification.selectors import ruleset_document


class Command(BaseCommand):
    help = "Write a rule set as a YAML rule-set file (stdout unless -o is given)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("-o", "--output", type=Path)

    def handle(self, *args, code, output, **options):
        ruleset = RuleSet.objects.filter(code=code).first()
        if ruleset is None:
            raise CommandError(f"No rule set {code}.")
        text = dump_ruleset(ruleset_document(ruleset))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}.")
