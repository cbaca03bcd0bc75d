"""Restore a backup archive into an empty database and the media folder, then check it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sop_planner.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into the configured, empty, database."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The .tar.gz archive written by `manage.py backup`")

    def handle(self, *args, source: str, **options):
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No backup archive at {path}.")
        try:
            manifest = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: row counts and checksums "
            "of plan values and audit trail match."
        )
