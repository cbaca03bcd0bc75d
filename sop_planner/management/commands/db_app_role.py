"""Create (or refresh the grants of) the PostgreSQL role the app runs as; see sop_planner.db_roles."""

import os

from django.core.management.base import BaseCommand

from sop_planner.db_roles import app_role_grant


class Command(BaseCommand):
    help = "Run as the tables' owner after migrate: the app's role may read and write rows only."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The app's login role, e.g. sop_app")
        parser.add_argument(
            "--password-env",
            default="APP_DB_PASSWORD",
            help="Environment variable holding the role's password (never a command argument)",
        )

    def handle(self, *args, role: str, password_env: str, **options):
        app_role_grant(role=role, password=os.environ.get(password_env) or None)
        self.stdout.write(f"{role}: rows of every table, no ownership, no TRUNCATE.")
