"""Uploads whose task never reached a worker: published again, or stopped with a message."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_results.models import TaskResult

from accounts.roles import Role
from forecasting.models import SalesActual
from sop_planner import background
from tests.fixtures.uploads import LAST, actuals_csv, batch_reaches
from tests.fixtures.waiting import wait_for
from uploads import services as upload_services
from uploads.models import UploadBatch
from uploads.services import upload_commit, upload_revert, uploads_sweep

Status = UploadBatch.Status


def _lost_commit(analyst, batch_id: int, monkeypatch) -> None:
    """Commit as a web process killed right after its transaction: nothing is published.

    (Capturing on-commit callbacks cannot stand in for the crash here: with committed
    test transactions they run at the commit, inside the capture.)
    """
    with monkeypatch.context() as crash:
        crash.setattr(upload_services, "_publish_write", lambda batch_id: None)
        upload_commit(actor=analyst, batch_id=batch_id)
    UploadBatch.objects.filter(pk=batch_id).update(queued_at=timezone.now() - timedelta(minutes=5))


@pytest.mark.postgres
@pytest.mark.redis
def test_a_commit_lost_before_its_publish_is_written_by_the_sweeper(
    celery_worker, big_files, company, user_with_role, queue_upload, monkeypatch
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, p, 0, p + 1) for p in range(3)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    _lost_commit(analyst, batch.pk, monkeypatch)
    assert UploadBatch.objects.get(pk=batch.pk).status == Status.COMMIT_QUEUED
    assert uploads_sweep() == 1
    written = wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    assert written.rows_written == 3 and SalesActual.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.redis
def test_a_revert_whose_worker_died_is_finished_by_the_sweeper(
    celery_worker, big_files, company, user_with_role, queue_upload, monkeypatch
):
    """A worker killed mid-revert rolls back its transaction: the batch is still queued for
    reverting, with nothing undone, and the sweeper gives it to a worker again."""
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, p, 0, p + 1) for p in range(3)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    upload_commit(actor=analyst, batch_id=batch.pk)
    wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    with monkeypatch.context() as crash:
        crash.setattr(upload_services, "_publish_revert", lambda batch_id: None)
        upload_revert(actor=analyst, batch_id=batch.pk, reason="duplicate file")
    UploadBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now() - timedelta(minutes=5))
    assert SalesActual.objects.count() == 3  # nothing undone yet
    assert uploads_sweep() == 1
    done = wait_for(batch_reaches(batch.pk, Status.REVERTED))
    assert done.revert_reason == "duplicate file" and not SalesActual.objects.exists()


def test_a_recent_queued_batch_is_left_to_its_worker(
    db, big_files, company, user_with_role, queue_upload, django_capture_on_commit_callbacks
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    with django_capture_on_commit_callbacks(execute=False):
        queue_upload(analyst, actuals_csv(company, [(LAST, 0, 0, 1)]))
    assert uploads_sweep() == 0  # queued a moment ago: its task may simply be on its way


@pytest.mark.postgres
def test_with_the_broker_down_a_big_upload_says_so_instead_of_waiting_forever(
    post_with_broker_down, company, user_with_role
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    status, page = post_with_broker_down(
        analyst, reverse("uploads:page"), {"kind": "actuals"},
        files={"file": actuals_csv(company, [(LAST, 0, 0, 1)])},
    )  # fmt: skip
    assert status == 200
    batch = UploadBatch.objects.get()
    assert batch.status == Status.FAILED
    assert "background worker could not be reached" in batch.error
    assert "background worker could not be reached" in page


def test_the_batch_page_says_when_no_worker_answers(
    db,
    big_files,
    company,
    user_with_role,
    queue_upload,
    client,
    django_capture_on_commit_callbacks,
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    with django_capture_on_commit_callbacks(execute=False):
        batch = queue_upload(analyst, actuals_csv(company, [(LAST, 0, 0, 1)]))
    client.force_login(analyst)
    url = reverse("uploads:batch", args=[batch.pk])
    assert "No background worker has answered yet" in client.get(url).content.decode()
    beat = TaskResult.objects.create(
        task_id="beat-1", task_name=background.HEARTBEAT_TASK, status="SUCCESS"
    )
    assert 'id="worker-silence"' not in client.get(url).content.decode()
    TaskResult.objects.filter(pk=beat.pk).update(date_done=timezone.now() - timedelta(minutes=10))
    assert "No background worker has answered for 10 minutes" in client.get(url).content.decode()
