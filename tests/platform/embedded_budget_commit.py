"""Run by tests and the benchmark as its own process, on the embedded SQLite database.

Finance commits a 1,000-row budget upload that a worker (started by the caller) writes;
meanwhile the cycle owner keeps reading the board and the demand grid, and a third
user signs in. Each read records whether the worker's write transaction was open when
it started and still open when it ended (SQLite's write lock: another connection's
BEGIN IMMEDIATE is refused while it is held). Prints one JSON object.
"""

import io
import json
import os
import sqlite3
import threading
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
django.setup()

from django.conf import settings  # noqa: E402  (after setup)
from django.test import Client  # noqa: E402

from accounts.roles import Role  # noqa: E402
from cycles.services import cycle_open  # noqa: E402
from tests.factories import (  # noqa: E402
    PASSWORD,
    FamilyFactory,
    ProductFactory,
    RegionFactory,
    TerritoryFactory,
    UserFactory,
)
from uploads.models import UploadBatch  # noqa: E402
from uploads.services import upload_commit, upload_preview  # noqa: E402

FAMILIES, TERRITORIES = 7, 12  # x 12 months = 1,008 budget rows


def writer_lock_held() -> bool:
    """Whether some connection holds the database's write lock right now."""
    probe = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        if probe.in_transaction:
            probe.execute("ROLLBACK")
        probe.close()
    return False


def company_and_users():
    regions = [RegionFactory(), RegionFactory()]
    territories = [TerritoryFactory(region=regions[i % 2]) for i in range(TERRITORIES)]
    families = [FamilyFactory() for _ in range(FAMILIES)]
    for family in families:
        ProductFactory(family=family)
    manager = UserFactory.with_role(Role.SALES_OPS_MANAGER, username="owner")
    finance = UserFactory.with_role(Role.FINANCE, username="finance")
    UserFactory.with_role(Role.EXECUTIVE, username="late-exec")
    cycle = cycle_open(actor=manager, month=date.today())
    return cycle, families, territories, manager, finance


def budget_file(cycle, families, territories) -> bytes:
    lines = ["family,territory,month,units,revenue"]
    for family in families:
        for territory in territories:
            for month in cycle.horizon():
                lines.append(f"{family.code},{territory.code},{month:%Y-%m},120,1500.50")
    return ("\n".join(lines) + "\n").encode()


def wait_status(batch_id: int, statuses: set[str], timeout: float = 300) -> UploadBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = UploadBatch.objects.get(pk=batch_id)
        if batch.status in statuses:
            return batch
        time.sleep(0.05)
    raise SystemExit(f"upload {batch_id} still {batch.status} after {timeout} s")


def timed_get(client: Client, url: str) -> dict:
    held = writer_lock_held()
    started = time.perf_counter()
    status = client.get(url).status_code
    seconds = time.perf_counter() - started
    return {"url": url, "status": status, "seconds": seconds,
            "inside_commit": held and writer_lock_held()}  # fmt: skip


def sign_in(username: str) -> dict:
    held = writer_lock_held()
    started = time.perf_counter()
    answer = Client(HTTP_HOST="localhost").post(
        "/accounts/login/", {"username": username, "password": PASSWORD}
    )
    return {"status": answer.status_code, "seconds": time.perf_counter() - started,
            "lock_held_at_start": held}  # fmt: skip


def main() -> None:
    cycle, families, territories, manager, finance = company_and_users()
    data = budget_file(cycle, families, territories)
    batch = upload_preview(
        actor=finance, file=io.BytesIO(data), file_name="budget.csv", kind="budgets"
    )
    batch = wait_status(batch.pk, {"previewed", "failed"})
    reader = Client(HTTP_HOST="localhost")
    reader.force_login(manager)
    urls = ["/cycles/", f"/demand/{cycle.pk}/",
            f"/api/demand/cycles/{cycle.pk}/grid/?product_level=family&territory_level=company"]  # fmt: skip
    for url in urls:  # warm: imports and first-use caches are not the commit's doing
        reader.get(url)
    started = time.perf_counter()
    upload_commit(actor=finance, batch_id=batch.pk)
    reads, login = [], {}
    signing_in = threading.Thread(target=lambda: login.update(sign_in("late-exec")))
    while UploadBatch.objects.get(pk=batch.pk).status == "commit_queued":
        for url in urls:
            reads.append(timed_get(reader, url))
        if not signing_in.is_alive() and not login and writer_lock_held():
            signing_in.start()  # a sign-in writes (session, last login): it waits for the lock
    if signing_in.is_alive() or login:
        signing_in.join()
    committed = wait_status(batch.pk, {"committed", "previewed"}, timeout=10)
    print(json.dumps({
        "rows": batch.new_count + batch.changed_count, "commit_status": committed.status,
        "rows_written": committed.rows_written, "error": committed.error,
        "commit_seconds": time.perf_counter() - started, "reads": reads, "login": login,
        "journal_mode": sqlite3.connect(settings.DATABASES["default"]["NAME"])
        .execute("PRAGMA journal_mode").fetchone()[0],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
