"""A version of the plan as CSV is built by a worker: the request records the intent, the
page follows the job and offers the file; a version taken is never built twice."""

import csv
import io
from datetime import date

import pytest
from django_celery_results.models import TaskResult
from rest_framework.test import APIClient

from accounts.roles import Role
from cycles import services
from cycles.stages import Stage
from exports.models import ExportJob
from exports.services import exports_sweep
from tests.factories import add_reason_codes
from tests.fixtures.demand import MONTH, add_actuals, done_run
from tests.fixtures.waiting import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(manager, company):
    """A cycle in demand planning with its baseline loaded: version #1 holds the plan."""
    from demand.baseline import baseline_load

    add_reason_codes()
    add_actuals(company, date(2026, 10, 1))
    cycle = services.cycle_open(actor=manager, month=MONTH)
    cycle = services.cycle_advance(actor=manager, cycle_id=cycle.pk, stage=Stage.DATA_GATHERING)
    done_run(cycle, company)
    baseline_load(actor=manager, cycle_id=cycle.pk)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.SALES_OPS_MANAGER]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _download(client, job: ExportJob) -> str:
    response = client.get(f"/exports/{job.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    return b"".join(response.streaming_content).decode()


@pytest.mark.postgres
@pytest.mark.redis
def test_the_request_only_records_the_intent_and_a_worker_builds_the_file(
    celery_worker, planned, manager, client, media
):
    client.force_login(manager)
    response = client.post(f"/cycles/{planned.pk}/versions/1.csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/exports/{job.pk}/"
    assert job.requested_by == manager and job.title == f"{planned}: version #1 as CSV"

    ready = wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status="ready").first())
    # the result row is stored after the task returns, a moment after the job is ready
    built_by = wait_for(
        lambda: TaskResult.objects.filter(task_name="exports.tasks.export_build_task").first()
    )
    assert built_by.status == "SUCCESS" and built_by.worker  # the worker built it
    text = _download(client, ready)
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = planned.plan_values.filter(valid_from_seq__lte=1).count()
    assert len(rows) == ready.rows_total == ready.rows_done == expected > 0
    assert {row["measure"] for row in rows} >= {"baseline", "consensus"}
    assert ready.file_name == f"plan-{planned.month:%Y-%m}-1.csv"
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'id="export-download"' in page and f"{expected:,} rows" in page


def test_a_version_taken_is_built_once_and_served_again_to_the_next_user(
    eager_celery, django_capture_on_commit_callbacks, planned, manager, users_by_role, client
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cycles/{planned.pk}/versions/1.csv")
    first = ExportJob.objects.get()
    assert first.status == "ready" and first.reusable
    finance = users_by_role[Role.FINANCE]
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True) as published:
        client.post(f"/cycles/{planned.pk}/versions/1.csv")
    again = ExportJob.objects.exclude(pk=first.pk).get()
    assert published == [] and again.status == "ready" and again.requested_by == finance
    served = _download(client, again)
    client.force_login(manager)
    assert served == _download(client, first) and served.startswith("measure,sku,")


def test_the_plan_as_it_stands_is_built_again_each_time_it_is_asked_for(
    eager_celery, django_capture_on_commit_callbacks, planned, manager, client
):
    client.force_login(manager)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True) as published:
            client.post(f"/cycles/{planned.pk}/versions/now.csv")
        assert len(published) == 1
    assert [job.reusable for job in ExportJob.objects.all()] == [False, False]


def test_a_double_click_follows_the_job_already_on_its_way(planned, manager, client):
    client.force_login(manager)
    first = client.post(f"/cycles/{planned.pk}/versions/1.csv")
    second = client.post(f"/cycles/{planned.pk}/versions/1.csv")
    assert first.url == second.url and ExportJob.objects.count() == 1
    page = client.get(first.url).content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page


def test_somebody_elses_export_is_refused_in_words(
    eager_celery, django_capture_on_commit_callbacks, planned, manager, users_by_role, client
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cycles/{planned.pk}/versions/1.csv")
    job = ExportJob.objects.get()
    client.force_login(users_by_role[Role.EXECUTIVE])
    for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/file/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "was asked for by somebody else; ask for your own copy" in response.content.decode()
    assert client.get("/exports/999999/").status_code == 404


def test_a_plain_link_to_a_version_csv_leads_to_the_versions_without_building(
    planned, manager, client
):
    client.force_login(manager)
    response = client.get(f"/cycles/{planned.pk}/versions/1.csv", follow=True)
    assert response.redirect_chain[-1][0] == f"/cycles/{planned.pk}/compare/"
    assert "Choose CSV next to a version" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_api_queues_the_export_and_reports_its_progress_and_file(
    eager_celery, django_capture_on_commit_callbacks, planned, manager
):
    api = APIClient()
    api.force_authenticate(manager)
    url = f"/api/cycles/{planned.pk}/export/"
    assert api.post(url, {"version": "7"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(url, {"version": "1"}, format="json")
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
    job = api.get(f"/api/exports/{answer.json()['id']}/").json()
    assert job["status"] == "ready" and job["percent"] == 100
    assert job["download"] == f"/api/exports/{job['id']}/file/"
    text = b"".join(api.get(job["download"]).streaming_content).decode()
    assert text.count("\r\n") == job["rows_total"] + 1


def test_a_job_lost_between_commit_and_publish_is_published_again(
    planned, manager, client, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from exports import services as export_services

    client.force_login(manager)
    client.post(f"/cycles/{planned.pk}/versions/1.csv")  # on_commit never runs here: lost
    sent = []
    monkeypatch.setattr(export_services, "_publish", sent.append)
    assert exports_sweep() == 0  # not yet stale
    ExportJob.objects.update(queued_at=timezone.now() - timedelta(minutes=3))
    assert exports_sweep() == 1 and sent == [ExportJob.objects.get().pk]


@pytest.mark.postgres
def test_with_the_broker_down_the_export_says_so_and_waits_for_nothing(
    post_with_broker_down, planned, manager
):
    status, page = post_with_broker_down(manager, f"/cycles/{planned.pk}/versions/1.csv", {})
    job = ExportJob.objects.get()
    assert status == 200 and job.status == "failed"
    assert "background worker could not be reached" in job.error
    assert "Ask for the file again." in page and 'hx-trigger="every 1s"' not in page
