"""The embedded default: a worker on the filesystem broker and SQLite, as bin/run starts it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["SOP_VAR_DIR"] = str(tmp_path)
    return env


def manage(env, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_background_task_runs_without_any_server(embedded_env):
    manage(embedded_env, "migrate", "--no-input", "-v0")
    manage(embedded_env, "shell", "--no-imports", "-c", CREATE_MANAGER)
    worker = subprocess.Popen(
        [str(CELERY), "-A", "sop_planner", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        output = manage(embedded_env, "shell", "--no-imports", "-c", RUN_TASK)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert output.strip().splitlines()[-1] == "opened S&OP " + time.strftime("%Y-%m")


CREATE_MANAGER = """
from django.contrib.auth.models import User
from accounts.roles import Role
from accounts.services import user_roles_seed
user_roles_seed(user=User.objects.create_user("boss"), roles=[Role.SALES_OPS_MANAGER])
"""
RUN_TASK = """
from cycles.models import Cycle
from cycles.tasks import cycle_open_monthly_task
cycle_open_monthly_task.delay().get(timeout=120)
print("opened", Cycle.objects.get())
"""


def test_an_upload_is_read_and_written_by_the_embedded_worker(embedded_env):
    """bin/run's worker on the filesystem broker and SQLite takes the uploads too."""
    manage(embedded_env, "migrate", "--no-input", "-v0")
    worker = subprocess.Popen(
        [str(CELERY), "-A", "sop_planner", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        output = manage(embedded_env, "shell", "--no-imports", "-c", UPLOAD_PRODUCTS)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    lines = output.strip().splitlines()
    assert lines[-2:] == ["answered queued", "written 2 ['E-1', 'E-2']"]


UPLOAD_PRODUCTS = """
import io, time
from django.contrib.auth.models import User
from accounts.roles import Role
from accounts.services import user_roles_seed
from products.models import Product, ProductFamily
from uploads.models import UploadBatch
from uploads.services import upload_commit, upload_preview
user_roles_seed(user=User.objects.create_user("analyst"), roles=[Role.SALES_OPS_ANALYST])
analyst = User.objects.get(username="analyst")
ProductFamily.objects.create(code="fam", name="Family")
content = b"sku,name,family,unit_price,unit_cost\\nE-1,One,fam,2.50,1.00\\nE-2,Two,fam,3,1\\n"
batch = upload_preview(actor=analyst, file=io.BytesIO(content), file_name="p.csv", kind="products")
print("answered", batch.status)
def reach(status):
    for _ in range(600):
        found = UploadBatch.objects.get(pk=batch.pk)
        if found.status == status:
            return found
        time.sleep(0.2)
    raise SystemExit(f"stuck at {found.status}: {found.error}")
reach("previewed")
upload_commit(actor=analyst, batch_id=batch.pk)
written = reach("committed").rows_written
print("written", written, sorted(Product.objects.values_list("sku", flat=True)))
"""
