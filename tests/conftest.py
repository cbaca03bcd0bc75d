"""Shared fixtures, and the rules for service-backed tests.

Tests marked `postgres`, `redis` or `browser` need a real service; without it
they are skipped with the reason printed. With CI=true a skip fails the run.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from tests.factories import CompanyFactory, UserFactory, add_reason_codes
from tests.fixtures import database_reset
from tests.fixtures.chromium import CHROMIUM

pytest_plugins = [
    "tests.fixtures.crm",
    "tests.fixtures.cycles",
    "tests.fixtures.demand",
    "tests.fixtures.pipeline",
]

REDIS_DATABASES = 16


def pytest_configure(config):
    """Each pytest-xdist worker (gw0, gw1...) gets its own Redis database.

    The celery_worker fixture flushes its database: two workers sharing one would
    drop or steal each other's tasks. Worker gwN uses REDIS_URL's number plus N
    (CI's 11 gives 11, 12...). PostgreSQL needs nothing: pytest-django already
    suffixes the test database per worker (test_<name>_gw0...).
    """
    # Tests keep the cache in memory, one per process: the autouse empty_cache fixture
    # clears it before each test, which on Redis would flush the database the broker
    # (and any other xdist worker's cache) lives in.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    database_reset.install()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and settings.REDIS_URL):
        return
    url = urlsplit(settings.REDIS_URL)
    number = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"Redis has databases 0-{REDIS_DATABASES - 1}: worker {worker} would need "
            f"database {number}; lower REDIS_URL's database number or run fewer workers (-n)"
        )
    settings.REDIS_URL = settings.CELERY_BROKER_URL = urlunsplit(url._replace(path=f"/{number}"))
    from sop_planner.celery import app

    app.conf.broker_url = settings.REDIS_URL


def _service_missing(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL (bin/test uses 127.0.0.1:5432 when it answers)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL (bin/test uses 127.0.0.1:6379 when it answers)"
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = _service_missing(item)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") == "true" and skipped:
        reporter.write_line(
            f"CI=true: {skipped} test(s) skipped; nothing may be skipped in CI.", red=True
        )
        session.exitstatus = 1


@pytest.fixture
def company(db):
    """A small company: 2 regions, 4 territories, 2 families, 6 products, and the reason
    codes of the data migration (a transactional test run before on the same worker
    flushes them)."""
    add_reason_codes()
    return CompanyFactory.build_company()


@pytest.fixture
def user_with_role(db):
    def make(role: Role, *, territories=(), username: str | None = None):
        return UserFactory.with_role(role, territories=territories, username=username)

    return make


@pytest.fixture
def users_by_role(user_with_role, company):
    """One user per role; the demand planner plans the first territory."""
    return UserFactory.one_per_role(company)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def eager_celery():
    """Tasks run in the caller's process (unit level: not a test of the worker)."""
    from sop_planner.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker (solo pool, in a thread) on the configured broker.

    Needs REDIS_URL (mark the test `redis`); the Redis database is flushed first
    so a stray task from another run cannot be picked up. Use with
    `transactional_db`: the worker's connection must see committed rows.
    """
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task)
    import redis
    from celery.contrib.testing.worker import start_worker

    from sop_planner.celery import app

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture
def post_with_broker_down(transactional_db, tmp_path):
    """post(user, path, data, files={name: bytes}) from a separate web process whose
    broker (REDIS_URL) is a closed port; returns (status, page) after redirects."""
    import json
    import subprocess
    import sys

    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "redis://127.0.0.1:9/0"}

    def post(user, path: str, data: dict, files: dict[str, bytes] | None = None, **settings):
        stored = {}
        for name, content in (files or {}).items():
            stored[name] = str(tmp_path / f"{name}.csv")
            Path(stored[name]).write_bytes(content)
        request = {"user": user.pk, "path": path, "data": data, "files": stored}
        result = subprocess.run(
            [sys.executable, "-m", "tests.broker_down_post", json.dumps(request)],
            cwd=Path(__file__).parent.parent, env={**env, **settings}, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        answer = json.loads(result.stdout.strip().splitlines()[-1])
        return answer["status"], answer["page"]

    return post
