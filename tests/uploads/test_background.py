"""Big files are validated and written by a real worker, with progress, and survive a retry."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from forecasting.models import SalesActual
from tests.fixtures.uploads import BEFORE, LAST, actuals_csv, batch_reaches
from tests.fixtures.waiting import wait_for
from uploads.models import UploadBatch, UploadRow
from uploads.services import upload_commit, upload_revert
from uploads.tasks import upload_revert_task, upload_validate_task, upload_write_task

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
Status = UploadBatch.Status


def test_worker_validates_then_writes_a_big_file_and_the_page_follows(
    celery_worker, big_files, company, user_with_role, queue_upload, client
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    rows = [(LAST, p, t, p + t) for p in range(3) for t in range(2)]
    batch = queue_upload(analyst, actuals_csv(company, rows))
    assert batch.background and batch.status in (
        Status.QUEUED,
        Status.VALIDATING,
        Status.PREVIEWED,
    )
    client.force_login(analyst)
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert 'id="progress"' in page
    done = wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    assert (done.rows_read, done.rows_validated, done.new_count) == (6, 6, 6)
    upload_commit(actor=analyst, batch_id=batch.pk)
    written = wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    assert written.rows_written == 6
    assert SalesActual.objects.count() == 6
    progress = client.get(reverse("uploads:progress", args=[batch.pk]))
    assert progress["HX-Refresh"] == "true"  # finished: the page reloads itself


def test_a_validation_retried_after_a_crash_starts_over_and_completes(
    celery_worker, big_files, company, user_with_role, queue_upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, 0, 0, 1), (BEFORE, 1, 1, 2)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    # As if a worker had died half way: status back to validating, a stray staged row.
    UploadBatch.objects.filter(pk=batch.pk).update(status=Status.VALIDATING, rows_read=1)
    UploadRow.objects.create(
        batch_id=batch.pk, row_number=99, product_id=1, territory_id=1, period="2020-01-01",
        new_units=1, new_revenue=1,
    )  # fmt: skip
    assert upload_validate_task.delay(batch.pk).get(timeout=30) == Status.PREVIEWED
    batch.refresh_from_db()
    assert (batch.rows_read, batch.new_count) == (2, 2)
    assert sorted(UploadRow.objects.filter(batch=batch).values_list("row_number", flat=True)) == [
        2,
        3,
    ]


def test_a_write_delivered_twice_writes_once(
    celery_worker, big_files, company, user_with_role, queue_upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, 0, 0, 1)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    upload_commit(actor=analyst, batch_id=batch.pk)
    wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    assert upload_write_task.delay(batch.pk).get(timeout=30) == Status.COMMITTED
    assert SalesActual.objects.count() == 1


def test_worker_reverts_a_committed_file_and_the_page_follows(
    celery_worker, big_files, company, user_with_role, queue_upload, client
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, p, 0, p + 1) for p in range(3)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    upload_commit(actor=analyst, batch_id=batch.pk)
    wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    client.force_login(analyst)
    answer = client.post(reverse("uploads:revert", args=[batch.pk]), {"reason": "wrong month"})
    assert answer.status_code == 302  # the request only records the intent
    done = wait_for(batch_reaches(batch.pk, Status.REVERTED))
    assert done.revert_reason == "wrong month" and done.reverted_by == analyst
    assert not SalesActual.objects.exists()
    progress = client.get(reverse("uploads:progress", args=[batch.pk]))
    assert progress["HX-Refresh"] == "true"
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert 'id="reverted"' in page and "wrong month" in page


def test_a_revert_delivered_twice_reverts_once(
    celery_worker, big_files, company, user_with_role, queue_upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = queue_upload(analyst, actuals_csv(company, [(LAST, 0, 0, 1)]))
    wait_for(batch_reaches(batch.pk, Status.PREVIEWED))
    upload_commit(actor=analyst, batch_id=batch.pk)
    wait_for(batch_reaches(batch.pk, Status.COMMITTED))
    upload_revert(actor=analyst, batch_id=batch.pk)
    wait_for(batch_reaches(batch.pk, Status.REVERTED))
    assert upload_revert_task.delay(batch.pk).get(timeout=30) == Status.REVERTED
    assert AuditEvent.objects.filter(action="upload.actuals.revert").count() == 1
