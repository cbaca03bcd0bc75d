"""Back up the database and the uploaded files into one archive (see sop_planner.backup)."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sop_planner.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database and uploaded files, consistently, into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            nargs="?",
            help="Archive to write (default: var/backups/sop-planner-<timestamp>.tar.gz)",
        )

    def handle(self, *args, target: str | None, **options):
        path = Path(target) if target else _default_target()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup_create(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{t}: {n:,}" for t, n in manifest["counts"].items())
        self.stdout.write(f"Backed up to {path} ({counts}).")


def _default_target() -> Path:
    from django.conf import settings

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"sop-planner-{stamp}.tar.gz"
