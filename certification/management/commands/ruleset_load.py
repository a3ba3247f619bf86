"""manage.py ruleset_load FILE [--dry-run]: check and load a rule set from a YAML or JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.rubric.files import RuleSetFileInvalid, read_ruleset, ruleset_outline
from certification.services.rulesets import CREATED, UNCHANGED, ruleset_load


class Command(BaseCommand):
    help = (
        "Check a rule-set file (YAML or JSON) and load it in one transaction. --dry-run shows"
        " every item and band and writes nothing. Every error is listed with its line and"
        " place in the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and show; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        try:
            spec = read_ruleset(text, name=str(file))
            if dry_run:
                for line in ruleset_outline(spec):
                    self.stdout.write(line)
            result = ruleset_load(spec=spec, dry_run=dry_run)
        except RuleSetFileInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{file}: {len(invalid.errors)} error(s); nothing loaded.") from None
        for warning in result.warnings:
            self.stderr.write(f"{file}: warning: {warning}")
        code = spec.fields["code"]
        if result.status == CREATED:
            self.stdout.write(self.style.SUCCESS(f"Loaded {code}: {len(spec.items)} items."))
        elif result.status == UNCHANGED:
            self.stdout.write(f"{code} is held with exactly these rules; nothing changed.")
        else:
            self.stdout.write(f"{code}: the file is valid ({len(spec.items)} items); dry run,"
                              " nothing written.")
