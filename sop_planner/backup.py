"""Back up the database and the uploaded files together, and restore them into an empty one.

A backup is one .tar.gz holding the database (PostgreSQL: `pg_dump` in its custom
format; SQLite: a copy made by SQLite's online backup), the media folder (uploaded
files) and `manifest.json` with row counts and checksums of the plan values and the
audit trail. On PostgreSQL the checksums and the dump read one exported snapshot, so
they describe exactly the same data even while people keep working. A restore checks
the restored database against the manifest and says what differs.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.conf import settings

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
COUNTED_TABLES = (
    "cycles_cycle",
    "cycles_planvalue",
    "cycles_planversion",
    "audit_auditevent",
    "forecasting_salesactual",
    "uploads_uploadbatch",
)
CHECKSUMMED_TABLES = ("cycles_planvalue", "audit_auditevent")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in words."""


def fingerprint(cursor) -> dict:
    """Row counts of the main tables and checksums of plan values and audit rows."""
    counts = {}
    for table in COUNTED_TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
    return {"counts": counts, "checksums": {t: _checksum(cursor, t) for t in CHECKSUMMED_TABLES}}


def _checksum(cursor, table: str) -> str:
    digest = hashlib.sha256()
    cursor.execute(f"SELECT * FROM {table} ORDER BY id")
    while rows := cursor.fetchmany(5000):
        for row in rows:
            digest.update(repr(tuple(_plain(value) for value in row)).encode())
    return digest.hexdigest()


def _plain(value):
    """The same text for a value whichever driver read it (JSON columns as sorted JSON)."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def backup_create(target: Path) -> dict:
    """Write a backup archive to `target`; returns its manifest."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with _database_snapshot(work) as manifest:
            _copy_media(work / MEDIA)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        with tarfile.open(target, "w:gz") as archive:
            for name in sorted(os.listdir(work)):
                archive.add(work / name, arcname=name)
    return manifest


@contextmanager
def _database_snapshot(work: Path) -> Iterator[dict]:
    database = settings.DATABASES["default"]
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": "postgresql" if _is_postgres(database) else "sqlite",
    }
    if _is_postgres(database):
        with _pg_exported_snapshot(database) as (cursor, snapshot):
            manifest.update(fingerprint(cursor))
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", f"--file={work / PG_DUMP}", _dsn(database)],
                 database)  # fmt: skip
            yield manifest
    else:
        source = sqlite3.connect(database["NAME"])
        copy = sqlite3.connect(work / SQLITE_COPY)
        source.backup(copy)
        source.close()
        manifest.update(fingerprint(copy.cursor()))
        copy.close()
        yield manifest


@contextmanager
def _pg_exported_snapshot(database: dict):
    connection = psycopg2.connect(_dsn(database), password=database.get("PASSWORD") or None)
    connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor, cursor.fetchone()[0]
    finally:
        connection.rollback()
        connection.close()


def _copy_media(target: Path) -> None:
    source = Path(settings.MEDIA_ROOT)
    if source.exists():
        shutil.copytree(source, target)
    else:
        target.mkdir()


def backup_restore(source: Path) -> dict:
    """Restore an archive into the configured (empty) database and media folder.

    Returns the manifest; raises BackupError naming what differs after the restore.
    """
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text())
        database = settings.DATABASES["default"]
        engine = "postgresql" if _is_postgres(database) else "sqlite"
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup holds a {manifest['engine']} database; "
                f"the configured database is {engine}."
            )
        _refuse_unless_empty(database)
        _restore_database(work, database)
        _restore_media(work / MEDIA)
    _verify(manifest, database)
    return manifest


def _refuse_unless_empty(database: dict) -> None:
    with _cursor(database) as cursor:
        if _is_postgres(database):
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        if cursor.fetchone()[0]:
            raise BackupError(
                "A restore goes into an empty database, and this one has tables: "
                "create a new database (or drop this one) and restore again."
            )


def _restore_database(work: Path, database: dict) -> None:
    if _is_postgres(database):
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              f"--dbname={_dsn(database)}", str(work / PG_DUMP)], database)  # fmt: skip
    else:
        shutil.copyfile(work / SQLITE_COPY, database["NAME"])


def _restore_media(source: Path) -> None:
    target = Path(settings.MEDIA_ROOT)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, dirs_exist_ok=True)


def _verify(manifest: dict, database: dict) -> None:
    with _cursor(database) as cursor:
        restored = fingerprint(cursor)
    differences = [
        f"{table}: {manifest['counts'][table]} rows backed up, {count} restored"
        for table, count in restored["counts"].items()
        if manifest["counts"].get(table) != count
    ] + [
        f"{table}: checksum differs"
        for table, digest in restored["checksums"].items()
        if manifest["checksums"].get(table) != digest
    ]
    if differences:
        raise BackupError(
            "The restored database differs from the backup: " + "; ".join(differences)
        )


@contextmanager
def _cursor(database: dict):
    if _is_postgres(database):
        connection = psycopg2.connect(_dsn(database), password=database.get("PASSWORD") or None)
    else:
        connection = sqlite3.connect(database["NAME"])
    try:
        cursor = connection.cursor()
        yield cursor
    finally:
        connection.close()


def _is_postgres(database: dict) -> bool:
    return "postgresql" in database["ENGINE"]


def _dsn(database: dict) -> str:
    """A libpq connection string without the password (that goes by environment)."""
    parts = {
        "dbname": database["NAME"],
        "user": database.get("USER"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str], database: dict) -> None:
    environment = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} is not installed here: install the PostgreSQL client tools."
        ) from missing
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
