"""The executive pack on the sign-off page: ask for it, follow its build, download its files.

The request only records the intent (pack_services.pack_request); a worker builds
the files; the page polls the build's progress and then offers the downloads.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import ensure_allowed
from cycles.models import Cycle
from reconciliation import pack_services, selectors
from reconciliation.models import PackBuild
from sop_planner.background import worker_silence_message

FORMATS = {
    "pdf": ("pdf_path", "application/pdf"),
    "xlsx": ("xlsx_path", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _signoff_url(cycle_id: int) -> str:
    return reverse("cycles:sign-off", args=[cycle_id]) + "#pack"


@login_required
@require_POST
def pack_request_view(request, pk: int):
    get_object_or_404(Cycle, pk=pk)
    build = pack_services.pack_request(actor=request.user, cycle_id=pk)
    if build.status == PackBuild.Status.DONE:
        messages.info(request, "The released plan's pack is ready below: it never changes.")
    else:
        messages.success(request, "The pack is being built: it appears below when ready.")
    return redirect(_signoff_url(pk))


@login_required
def pack_progress(request, build_id: int):
    """Polled by htmx while a worker builds; answers the pack panel as it stands."""
    ensure_allowed(request.user, "cycle.view")
    build = get_object_or_404(PackBuild.objects.select_related("cycle"), pk=build_id)
    return render(request, "reconciliation/_pack.html", pack_context(build.cycle, build))


def pack_context(cycle: Cycle, build: PackBuild | None) -> dict:
    """What the pack panel shows: the build, and whether a new one can be asked for."""
    waiting = bool(build and build.is_running)
    return {
        "cycle": cycle,
        "build": build,
        "kept": bool(build and build.released and build.status == PackBuild.Status.DONE),
        "worker_silence": worker_silence_message(waiting=waiting),
    }


@login_required
def pack_download(request, build_id: int, fmt: str):
    ensure_allowed(request.user, "cycle.view")
    build = get_object_or_404(PackBuild.objects.select_related("cycle"), pk=build_id)
    return _file(request, build, fmt)


@login_required
def pack_latest(request, pk: int, fmt: str):
    """The cycle's newest ready pack (the kept one once released); none yet: the page says so."""
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    build = selectors.latest_ready_pack(cycle)
    if build is None:
        messages.info(request, "No pack has been built for this cycle yet: build it here.")
        return redirect(_signoff_url(pk))
    return _file(request, build, fmt)


def _file(request, build: PackBuild, fmt: str):
    if fmt not in FORMATS:
        messages.error(request, f"There is no “{fmt}” pack: the pack comes as PDF or XLSX.")
        return redirect(_signoff_url(build.cycle_id))
    field, content_type = FORMATS[fmt]
    relative = getattr(build, field)
    path = pack_services.pack_path(relative) if relative else None
    if build.status != PackBuild.Status.DONE or path is None or not path.exists():
        messages.error(request, "This pack is not ready (or no longer kept): build it again.")
        return redirect(_signoff_url(build.cycle_id))
    name = f"sop-{build.cycle.month:%Y-%m}.{fmt}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)  # fmt: skip
