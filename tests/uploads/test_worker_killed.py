"""A worker killed in the middle of writing leaves the actuals as they were; the task is
given back to the broker and completes on the next worker process."""

import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection

from accounts.roles import Role
from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual
from products.models import Product
from tests.fixtures.waiting import wait_for
from uploads.models import UploadBatch
from uploads.services import upload_commit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
MONTHS = 60


@pytest.fixture
def worker_process(settings, tmp_path):
    """A prefork worker (one child) in its own process, on the test database."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "sop_planner", "worker", "--pool=prefork"]
    process = subprocess.Popen(
        [*command, "-c", "1", "--loglevel=WARNING"], env=env, cwd=django_settings.BASE_DIR
    )
    yield process
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


def _big_file(company) -> bytes:
    family = company.families[0]
    Product.objects.bulk_create(
        Product(sku=f"BIG-{n:04d}", name=f"Big {n}", family=family, unit_price=1, unit_cost=1)
        for n in range(400)
    )
    last = add_months(month_start(date.today()), -1)
    periods = [f"{add_months(last, -m):%Y-%m}" for m in range(MONTHS)]
    lines = ["period,product,territory,units"]
    lines += [
        f"{period},BIG-{n:04d},{territory.code},{n % 7}"
        for period in periods
        for n in range(400)
        for territory in company.territories
    ]
    return "\n".join(lines).encode()


def _writing_actuals() -> bool:
    """the worker to be inside its INSERT into the actuals"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'"
            " AND query LIKE 'INSERT INTO forecasting_salesactual%%'"
        )
        return cursor.fetchone()[0] > 0


def test_killed_writer_changes_nothing_and_the_redelivered_task_completes(
    settings, company, user_with_role, queue_upload, worker_process
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    SalesActual.objects.create(
        product=company.products[0], territory=company.territories[0],
        period=date(2020, 1, 1), units=Decimal(1), revenue=Decimal(1),
    )  # fmt: skip
    batch = queue_upload(analyst, _big_file(company))
    rows = MONTHS * 400 * len(company.territories)
    wait_for(
        lambda: UploadBatch.objects.filter(pk=batch.pk, status="previewed").exists(), timeout=120
    )
    upload_commit(actor=analyst, batch_id=batch.pk)
    wait_for(_writing_actuals, timeout=60, interval=0.02)
    for child in _children(worker_process.pid):
        os.kill(child, signal.SIGKILL)
    assert SalesActual.objects.count() == 1  # the killed transaction wrote nothing
    assert UploadBatch.objects.get(pk=batch.pk).status == "commit_queued"
    wait_for(
        lambda: UploadBatch.objects.filter(pk=batch.pk, status="committed").exists(), timeout=120
    )
    assert SalesActual.objects.count() == rows + 1
