from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gansu_sme import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump) and the uploaded files into one tar archive with a "
        "checksum manifest; prints the archive's path on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="folder for the archive")
        parser.add_argument("--database-url", help="another database than DATABASE_URL's")
        parser.add_argument("--media-root", help="another folder than MEDIA_ROOT")

    def handle(self, *args, output, database_url, media_root, **options):
        try:
            result = backup.backup(
                output=Path(output), database_url=database_url,
                media_root=Path(media_root) if media_root else None,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        self.stdout.write(
            f"{len(result.manifest['files'])} files, "
            + ", ".join(f"{label} {figures['rows']}" for label, figures in tables.items())
        )
        self.stdout.write(f"{result.size} bytes in {result.seconds:.1f} s")
        self.stdout.write(str(result.path))
