from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gansu_sme import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive (manage.py backup) into an empty database and MEDIA_ROOT, "
        "after checking every file against its manifest, then check the key tables' rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="another database than DATABASE_URL's")
        parser.add_argument("--media-root", help="another folder than MEDIA_ROOT")
        parser.add_argument(
            "--replace", action="store_true",
            help="restore over a database that is not empty (drops what the archive holds)",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="check the archive, restore nothing"
        )

    def handle(self, *args, archive, database_url, media_root, replace, verify_only, **opts):
        try:
            if verify_only:
                manifest = backup.verify(Path(archive))
                self.stdout.write(f"{archive}: {len(manifest['files'])} files match the manifest")
                return
            result = backup.restore(
                archive_path=Path(archive), database_url=database_url,
                media_root=Path(media_root) if media_root else None, replace=replace,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {archive} in {result.seconds:.1f} s; key tables match: "
            + ", ".join(
                f"{label} {figures['rows']}"
                for label, figures in result.manifest["tables"].items()
            )
        )
