"""A backup restores into an empty database with the same plan figures, audit trail and files."""

import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from cycles import services
from cycles.plan_services import plan_value_set
from sop_planner.backup import fingerprint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plan(company, users_by_role):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    cycle = services.cycle_open(actor=manager, month=date(2026, 11, 1))
    for n, month in enumerate(cycle.horizon()[:3]):
        plan_value_set(
            actor=users_by_role[Role.FINANCE], cycle_id=cycle.pk, measure="budget_units",
            product_id=company.products[0].pk, territory_id=company.territories[0].pk,
            month=month, value=100 + n, expected_row_version=0,
        )  # fmt: skip
    return cycle


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = settings.MEDIA_ROOT / "uploads" / "actuals-2026-10.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("period,product,territory,units\n2026-10,SKU-1,T1,12\n")
    return upload


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(_dsn(dbname="postgres"))
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    yield name
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def _dsn(dbname: str) -> str:
    db = connection.settings_dict
    parts = {"dbname": dbname, "user": db["USER"], "host": db["HOST"], "port": db["PORT"]}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _manage(args: list[str], *, database: str, media_root: Path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _fingerprint_of(dbname: str) -> dict:
    with psycopg2.connect(_dsn(dbname)) as restored:
        return fingerprint(restored.cursor())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_same_plan_audit_trail_and_files(
    plan, media, empty_database, tmp_path
):
    archive = tmp_path / "backup.tar.gz"
    backed_up = _manage(
        ["backup", str(archive)], database=connection.settings_dict["NAME"],
        media_root=settings.MEDIA_ROOT,
    )  # fmt: skip
    assert backed_up.returncode == 0, backed_up.stderr
    source = _fingerprint_of(connection.settings_dict["NAME"])
    assert source["counts"]["cycles_planvalue"] == 3 and source["counts"]["audit_auditevent"] > 0

    restored_media = tmp_path / "restored-media"
    restored = _manage(
        ["restore", str(archive)], database=empty_database, media_root=restored_media
    )
    assert restored.returncode == 0, restored.stderr
    assert "checksums of plan values and audit trail match" in restored.stdout
    assert _fingerprint_of(empty_database) == source
    copy = restored_media / "uploads" / "actuals-2026-10.csv"
    assert copy.read_text() == media.read_text()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_already_has_tables(plan, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    name = connection.settings_dict["NAME"]
    assert _manage(["backup", str(archive)], database=name, media_root=tmp_path).returncode == 0
    refused = _manage(["restore", str(archive)], database=name, media_root=tmp_path / "m")
    assert refused.returncode != 0
    assert "A restore goes into an empty database, and this one has tables" in refused.stderr
    assert _fingerprint_of(name)["counts"]["cycles_planvalue"] == 3


def test_the_embedded_sqlite_database_backs_up_and_restores_too(tmp_path):
    """No PostgreSQL needed: the embedded default's file is copied by SQLite's online backup."""
    source, target = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"

    def manage(args: list[str], database: Path):
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
               "MEDIA_ROOT": str(tmp_path / f"media-{database.stem}")}  # fmt: skip
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
            text=True,
        )  # fmt: skip

    assert manage(["migrate", "--no-input", "-v0"], source).returncode == 0
    archive = tmp_path / "embedded.tar.gz"
    backed_up = manage(["backup", str(archive)], source)
    assert backed_up.returncode == 0, backed_up.stderr
    restored = manage(["restore", str(archive)], target)
    assert restored.returncode == 0, restored.stderr
    assert "checksums of plan values and audit trail match" in restored.stdout
    assert target.stat().st_size == source.stat().st_size
