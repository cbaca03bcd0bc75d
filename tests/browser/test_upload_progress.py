"""Finance uploads a budget: the page follows the worker while it reads the file, shows the
preview, after "Commit" follows the worker again until the rows are written, and after
"Revert" until the figures the upload replaced are back."""

import threading

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.supply.plan_data import open_cycle, values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


class Gate:
    """Holds the worker at one step until the test has seen the page wait for it."""

    def __init__(self, monkeypatch, owner, name: str) -> None:
        self.open = threading.Event()
        real = getattr(owner, name)

        def held(*args, **kwargs):
            self.open.wait(timeout=60)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, held)


def _budget(company) -> bytes:
    family, territory = company.families[0].code, company.territories[0].code
    rows = [f"{family},{territory},2027-01,100,250.5", f"{family},{territory},2027-02,80,200"]
    return ("family,territory,month,units,revenue\n" + "\n".join(rows) + "\n").encode()


def test_finance_follows_a_budget_upload_from_queued_to_committed(
    celery_worker, login, users_by_role, company, monkeypatch, settings, tmp_path
):
    from uploads import pipeline, services

    settings.MEDIA_ROOT = tmp_path
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    reading = Gate(monkeypatch, pipeline, "validate_batch")
    writing = Gate(monkeypatch, services, "_write")
    undoing = Gate(monkeypatch, services, "_undo")
    page = login(users_by_role[Role.FINANCE])
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto("/uploads/")
    page.select_option("select[name=kind]", "budgets")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "budget.csv", "mimeType": "text/csv", "buffer": _budget(company)}],
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("#progress")
    assert page.inner_text("#batch-status") in ("waiting to be validated", "validating")
    assert "A worker is on it" in page.inner_text("#progress")

    reading.open.set()
    page.wait_for_selector("#commit", timeout=30_000)  # the page reloads itself when done
    assert page.inner_text("#count-new") == "2"
    assert values(cycle, "budget_units") == {}

    page.click("#commit")
    page.wait_for_selector("#progress")
    assert page.inner_text("#batch-status") == "waiting to be written"
    assert values(cycle, "budget_units") == {}

    writing.open.set()
    page.wait_for_selector("#committed", timeout=30_000)
    assert "2 rows written" in page.inner_text("#committed")
    assert sorted(values(cycle, "budget_units").values()) == [80, 100]

    page.fill("input[name=reason]", "wrong budget version")
    page.click("#revert")
    page.wait_for_selector("#revert-progress")
    assert page.inner_text("#batch-status") == "waiting to be reverted"
    assert "Putting back the 2 rows" in page.inner_text("#revert-progress")
    assert "wrong budget version" in page.inner_text("#revert-queued")
    assert not page.is_visible("#revert")  # asked once; the worker is on it
    assert sorted(values(cycle, "budget_units").values()) == [80, 100]

    undoing.open.set()
    page.wait_for_selector("#reverted", timeout=30_000)
    assert "wrong budget version" in page.inner_text("#reverted")
    assert values(cycle, "budget_units") == {}
