"""The database role the app runs as: it reads and writes rows, and owns nothing.

The tables belong to the role that runs migrations. The app's role gets SELECT, INSERT,
UPDATE and DELETE only, so it cannot TRUNCATE the audit trail or the plan, and, not
being an owner, cannot ALTER a table to switch off the triggers that lock released
cycles and the audit trail. Run by `manage.py db_app_role` as the owner, after migrate.
"""

from django.db import connection
from psycopg2 import sql

ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def app_role_grant(*, role: str, password: str | None) -> None:
    """Create the app's role if missing and grant it row access to every table, now and later."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Database roles are a PostgreSQL feature; SQLite has none.")
    name = sql.Identifier(role)
    statements = [
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {}) THEN "
            "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION; "
            "END IF; END $$"
        ).format(sql.Literal(role), name),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL(f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {{}}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        sql.SQL(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {ROW_PRIVILEGES} ON TABLES TO {{}}"
        ).format(name),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(name),
    ]
    if password:
        statements.append(sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password)))
    raw = connection.connection
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(raw))
