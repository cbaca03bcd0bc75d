"""The production configuration: deploy checks, compose file, settings from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#k2!p9@m4$q8^w3&e6*r1(t5)y0-u_i+o=a[s]d{f}g|h;j:k<l>z,x.c/v?b",
    "ALLOWED_HOSTS": "planner.example.com",
    "DATABASE_URL": "postgres://sop:sop@db.example.com:5432/sop",
    "REDIS_URL": "redis://cache.example.com:6379/0",
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        args, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_deploy_checks_are_clean_with_production_variables():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.CELERY_BROKER_URL, s.ALLOWED_HOSTS, s.DEBUG)"
    )
    result = run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code], PRODUCTION_ENV
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example.com",
        "redis://cache.example.com:6379/0",
        "['planner.example.com']",
        "False",
    ], result.stderr


def test_embedded_default_needs_no_server(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND)"
    )
    result = run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        {"SOP_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://localhost/",
        "django-db",
    ]


def test_compose_file_is_valid_for_the_official_compose_binary():
    compose = Path(sys.executable).parent / "docker-compose"
    result = run(
        [str(compose), "-f", "docker-compose.yml", "config", "--services"],
        {"SECRET_KEY": "s", "APP_DB_PASSWORD": "p"},
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"migrate", "web", "worker", "beat", "postgres", "redis"}


def test_compose_refuses_to_run_without_a_secret_key():
    compose = Path(sys.executable).parent / "docker-compose"
    result = run(
        [str(compose), "-f", "docker-compose.yml", "config", "-q"],
        {"SECRET_KEY": "", "APP_DB_PASSWORD": "p"},
    )
    assert result.returncode != 0 and "set SECRET_KEY" in result.stderr


def test_the_app_connects_as_a_role_that_owns_no_table():
    import yaml

    compose = Path(sys.executable).parent / "docker-compose"
    result = run(
        [str(compose), "-f", "docker-compose.yml", "config"],
        {"SECRET_KEY": "s", "APP_DB_PASSWORD": "p"},
    )
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://sop_app:")
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://sop:")
    assert "db_app_role sop_app" in " ".join(services["migrate"]["command"])


@pytest.mark.parametrize("service", ["web", "worker", "postgres", "redis"])
def test_long_running_services_have_healthchecks(service):
    import yaml

    config = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "healthcheck" in config["services"][service]


def test_static_files_collect_for_whitenoise_with_the_npm_libraries(tmp_path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    result = run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/pico/pico.min.css" in manifest and "vendor/htmx/htmx.min.js" in manifest


def test_the_openapi_schema_builds_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"
    command = ["manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(schema)]
    result = run([sys.executable, *command], {})
    assert result.returncode == 0, result.stderr
    assert "/api/cycles/{id}/advance/" in schema.read_text()


def test_the_image_ships_compiled_bytecode_its_app_user_could_not_write():
    """The image sets PYTHONDONTWRITEBYTECODE and runs as a user who cannot write the code:
    without bytecode compiled at build, each restarted worker compiled ~1,000 modules from
    source before answering its first request (about 4x the import time)."""
    steps = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.strip()]
    last_copy = max(i for i, line in enumerate(steps) if line.startswith("COPY . "))
    user = next(i for i, line in enumerate(steps) if line.startswith("USER "))
    compiles_app = [i for i, line in enumerate(steps) if "compileall" in line and "/app" in line]
    assert compiles_app and last_copy < compiles_app[0] < user
    assert any("UV_COMPILE_BYTECODE=1 uv sync" in line for line in steps)
