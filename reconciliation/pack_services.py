"""The only code that changes pack builds: the request records the intent, a worker builds.

Building the PDF and the XLSX reads the whole plan (~90,000 figures on the demo):
seconds a web request must not spend. The request stores a PackBuild row and
publishes a task after commit; the worker writes both files under MEDIA_ROOT/packs
and reports its step and progress on the row, which the sign-off page polls. A
released plan never changes, so its pack is built once and served again.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from cycles.models import Cycle
from reconciliation.models import PackBuild
from sop_planner import background

log = logging.getLogger(__name__)
Status = PackBuild.Status
FAILED = "The pack could not be built: {error}. Nothing else was changed; try again."


def pack_request(*, actor: User, cycle_id: int) -> PackBuild:
    """Ask for the cycle's pack: the released plan's kept pack, the one being built, or a new
    build from the plan as it stands (queued for a worker)."""
    ensure_allowed(actor, "cycle.view")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
        existing = kept_pack(cycle) or running_pack(cycle)
        if existing:
            return existing
        build = PackBuild.objects.create(
            cycle=cycle,
            version_seq=cycle.version_seq,
            released=cycle.is_released,
            requested_by=actor,
            queued_at=timezone.now(),
            step="Waiting for a worker",
        )
        transaction.on_commit(lambda: _publish(build.pk))
    return build


def kept_pack(cycle: Cycle) -> PackBuild | None:
    """The pack built from the released plan, served again without rebuilding."""
    if not cycle.is_released:
        return None
    return PackBuild.objects.filter(
        cycle=cycle, version_seq=cycle.version_seq, released=True, status=Status.DONE
    ).first()


def running_pack(cycle: Cycle) -> PackBuild | None:
    """A build under way from the plan as it is now (one begun before the release is not the
    released plan's pack)."""
    return PackBuild.objects.filter(
        cycle=cycle, released=cycle.is_released, status__in=(Status.QUEUED, Status.BUILDING)
    ).first()


def _publish(build_id: int) -> None:
    from reconciliation.tasks import pack_build_task

    background.publish(
        lambda: pack_build_task.delay(build_id),
        on_failure=lambda message: PackBuild.objects.filter(
            pk=build_id, status=Status.QUEUED
        ).update(status=Status.FAILED, error=message, finished_at=timezone.now()),
    )


def packs_sweep() -> int:
    """Run every minute by beat: publish again the builds lost between commit and publish."""
    stale = PackBuild.objects.filter(status=Status.QUEUED, queued_at__lt=background.stale_before())
    waiting = list(stale.values_list("pk", flat=True))
    for build_id in waiting:
        _publish(build_id)
    return len(waiting)


def pack_build(*, build_id: int) -> PackBuild:
    """Build both files of a queued pack (in a worker). Safe to run again after a crash."""
    with background.exclusive(f"pack-build:{build_id}") as mine:
        build = PackBuild.objects.select_related("cycle").get(pk=build_id)
        if not mine or build.status not in (Status.QUEUED, Status.BUILDING):
            return build
        try:
            _build(build)
        except Exception as error:  # the row says what failed; the log keeps the trace
            log.exception("building pack %s failed", build_id)
            _step(
                build, Status.FAILED, build.step, build.progress, error=FAILED.format(error=error)
            )
        return build


def _build(build: PackBuild) -> None:
    from reconciliation.pack import pack_data
    from reconciliation.pack_pdf import pack_pdf
    from reconciliation.pack_xlsx import pack_workbook

    cycle = build.cycle
    _step(build, Status.BUILDING, "Reading the plan", 5)
    data = pack_data(cycle)
    _step(build, Status.BUILDING, "Drawing the PDF", 20)
    pdf = _store(pack_pdf(cycle, data), "pdf")
    _step(build, Status.BUILDING, "Writing the workbook", 35)

    def rows_written(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        _step(build, Status.BUILDING, f"Writing the plan's figures: {done:,} of {total:,}",
              35 + int(60 * share))  # fmt: skip

    xlsx = _store(pack_workbook(cycle, data, progress=rows_written), "xlsx")
    build.pdf_path, build.xlsx_path = pdf, xlsx
    _step(build, Status.DONE, "Ready", 100)


def _step(build: PackBuild, status: str, step: str, progress: int, error: str = "") -> None:
    """Record how far the build is, in its own short write the page can read at once."""
    build.status, build.step, build.progress, build.error = status, step, progress, error
    fields = ["status", "step", "progress", "error"]
    if status in (Status.DONE, Status.FAILED):
        build.finished_at = timezone.now()
        fields += ["finished_at", "pdf_path", "xlsx_path"]
    build.save(update_fields=fields)


def _store(content: bytes, suffix: str) -> str:
    """Write a pack file under MEDIA_ROOT/packs (backed up with the media folder)."""
    relative = f"packs/{uuid.uuid4().hex}.{suffix}"
    path = pack_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative


def pack_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def pack_on_release(*, cycle_id: int, actor_id: int | None) -> PackBuild | None:
    """Run after a cycle leaves sign-off: a released plan's pack is built once, at release,
    so it is ready when the executives ask for it (a rejection builds nothing)."""
    from django.contrib.auth import get_user_model

    cycle = Cycle.objects.get(pk=cycle_id)
    if not cycle.is_released or actor_id is None:
        return None
    actor = get_user_model().objects.get(pk=actor_id)
    return pack_request(actor=actor, cycle_id=cycle_id)
