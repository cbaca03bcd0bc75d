"""The pack leaves the web request (issue 15): the page records the intent, a worker builds
the PDF and the workbook with progress, the page offers the downloads; a released plan's pack
is kept and served again."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from reconciliation import pack_services
from reconciliation.models import PackBuild
from sop_planner.background import BROKER_DOWN
from tests.factories import mark_released
from tests.fixtures.reconciliation import download
from tests.fixtures.waiting import wait_for

Status = PackBuild.Status


def _finished(build_id: int):
    def finished():
        """the pack build to finish"""
        build = PackBuild.objects.get(pk=build_id)
        return build if not build.is_running else None

    return finished


@pytest.mark.postgres
@pytest.mark.redis
def test_a_worker_builds_the_pack_while_the_page_shows_progress_then_the_downloads(
    celery_worker, rec_cycle, users_by_role, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    executive = users_by_role[Role.EXECUTIVE]
    client.force_login(executive)
    answer = client.post(reverse("reconciliation:pack-build", args=[rec_cycle.pk]))
    assert answer.status_code == 302 and answer["Location"].endswith("/sign-off/#pack")
    build = PackBuild.objects.get(cycle=rec_cycle)
    assert build.requested_by == executive and build.version_seq == rec_cycle.version_seq
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    if build.is_running:  # the worker may already be done: then the downloads show
        assert 'id="pack-progress"' in page and "hx-trigger" in page
    done = wait_for(_finished(build.pk))
    assert done.status == Status.DONE and done.progress == 100, done.error
    panel = client.get(reverse("reconciliation:pack-progress", args=[build.pk])).content.decode()
    assert 'id="pack-ready"' in panel and "hx-trigger" not in panel  # polling stops
    pdf = download(client, reverse("reconciliation:pack-download", args=[build.pk, "pdf"]))
    assert pdf.startswith(b"%PDF")
    xlsx = download(client, reverse("reconciliation:pack-download", args=[build.pk, "xlsx"]))
    assert load_workbook(BytesIO(xlsx)).sheetnames[0] == "Headline"


@pytest.mark.django_db
def test_a_released_plans_pack_is_kept_and_served_again_without_rebuilding(
    rec_cycle, manager, client, build_pack
):
    mark_released(rec_cycle)
    first = build_pack(rec_cycle, manager)
    assert first.released and first.status == Status.DONE
    kept = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)
    assert kept.pk == first.pk and PackBuild.objects.count() == 1
    client.force_login(manager)
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert "built" in page and "from the released plan" in page
    assert 'id="build-pack"' not in page  # nothing to rebuild: the plan never changes
    served = download(client, f"/reconciliation/{rec_cycle.pk}/pack.pdf")
    assert served == pack_services.pack_path(first.pdf_path).read_bytes()


@pytest.mark.django_db
def test_an_open_plans_pack_is_built_again_on_request(rec_cycle, manager, client, build_pack):
    first = build_pack(rec_cycle, manager)
    client.force_login(manager)
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert "Build again from the plan as it stands" in page
    second = build_pack(rec_cycle, manager)
    assert second.pk != first.pk and second.status == Status.DONE


@pytest.mark.django_db
def test_a_second_request_while_building_joins_the_running_build(rec_cycle, manager):
    first = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)
    again = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)
    assert again.pk == first.pk and again.status == Status.QUEUED


@pytest.mark.django_db
def test_without_a_built_pack_the_download_link_leads_to_the_build_button(
    rec_cycle, manager, client
):
    client.force_login(manager)
    answer = client.get(f"/reconciliation/{rec_cycle.pk}/pack.xlsx", follow=True)
    page = answer.content.decode()
    assert "No pack has been built for this cycle yet" in page and 'id="build-pack"' in page


@pytest.mark.django_db
def test_a_build_that_fails_says_why_and_offers_to_try_again(
    rec_cycle, manager, client, build_pack, monkeypatch
):
    def broken(cycle, data):
        raise ValueError("the font is missing")

    monkeypatch.setattr("reconciliation.pack_pdf.pack_pdf", broken)
    build = build_pack(rec_cycle, manager)
    assert build.status == Status.FAILED and not build.pdf_path and not build.xlsx_path
    client.force_login(manager)
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert "The pack could not be built: the font is missing." in page
    assert 'id="build-pack"' in page


@pytest.mark.postgres
def test_a_broker_that_does_not_answer_fails_the_build_in_words(
    post_with_broker_down, rec_cycle, users_by_role
):
    executive = users_by_role[Role.EXECUTIVE]
    status, page = post_with_broker_down(executive, f"/reconciliation/{rec_cycle.pk}/pack/", {})
    assert status == 200
    build = PackBuild.objects.get(cycle=rec_cycle)
    assert build.status == Status.FAILED and build.error == BROKER_DOWN
    assert "The background worker could not be reached" in page


def test_the_release_queues_the_released_plans_pack_and_a_rejection_does_not(
    company, users_by_role, django_capture_on_commit_callbacks, db
):
    from cycles import services as cycle_services
    from cycles.models import Cycle
    from cycles.stages import Stage
    from tests.supply.plan_data import open_cycle

    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SIGN_OFF)
    executive = users_by_role[Role.EXECUTIVE]
    with django_capture_on_commit_callbacks(execute=True):
        cycle_services.cycle_reject(actor=executive, cycle_id=cycle.pk, comment="Not yet")
    assert not PackBuild.objects.exists()
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.SIGN_OFF.value)  # back in sign-off
    with django_capture_on_commit_callbacks(execute=True):
        cycle_services.cycle_approve(actor=executive, cycle_id=cycle.pk, comment="Go")
    cycle.refresh_from_db()
    build = PackBuild.objects.get(cycle=cycle)
    assert build.released and build.requested_by == executive
    assert build.version_seq == cycle.version_seq  # the released plan's version


@pytest.mark.django_db
def test_the_api_asks_for_the_pack_and_follows_it_to_its_files(
    rec_cycle, users_by_role, settings, tmp_path
):
    from rest_framework.test import APIClient

    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(users_by_role[Role.FINANCE])
    assert api.get(f"/api/plan/cycles/{rec_cycle.pk}/pack/").status_code == 404
    asked = api.post(f"/api/plan/cycles/{rec_cycle.pk}/pack/")
    assert asked.status_code == 202
    body = asked.json()
    assert (body["status"], body["progress"], body["pdf"]) == ("queued", 0, None)
    pack_services.pack_build(build_id=body["id"])  # what the worker does
    done = api.get(f"/api/plan/packs/{body['id']}/").json()
    assert (done["status"], done["progress"], done["step"]) == ("done", 100, "Ready")
    assert done["pdf"] == f"/reconciliation/pack/{body['id']}/pack.pdf"
    assert api.get(f"/api/plan/cycles/{rec_cycle.pk}/pack/").json()["id"] == body["id"]
    assert api.post("/api/plan/cycles/999999/pack/").status_code == 404


@pytest.mark.django_db
def test_a_build_begun_before_the_release_is_not_taken_for_the_released_plans_pack(
    rec_cycle, manager
):
    before = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)
    mark_released(rec_cycle)
    after = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)
    assert after.pk != before.pk and after.released and not before.released


@pytest.mark.django_db
def test_the_sweeper_publishes_again_a_build_lost_between_commit_and_publish(
    rec_cycle, manager, eager_celery, settings, tmp_path
):
    from datetime import timedelta

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    lost = pack_services.pack_request(actor=manager, cycle_id=rec_cycle.pk)  # never published
    assert pack_services.packs_sweep() == 0  # queued a moment ago: a worker may be on it
    PackBuild.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - timedelta(minutes=3))
    assert pack_services.packs_sweep() == 1
    lost.refresh_from_db()
    assert lost.status == Status.DONE and lost.pdf_path
