"""Version compare: two versions by family x region x month, drilled down to SKUs and to
figures, filtered by measure, family, region and month; the whole difference as a CSV."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import ensure_allowed
from cycles import selectors
from cycles.compare_drill import (
    Scope,
    change_count,
    difference_csv_lines,
    difference_grid,
    difference_rows,
    grid_measure,
    named_changes,
)
from cycles.measures import MEASURES, MeasureCode
from cycles.models import Cycle
from products.models import ProductFamily
from territories.models import Region

CHANGES_PER_PAGE = 200  # rows of the figure-by-figure list; 1,000 took seconds to render
FILTERS = ("measure", "family", "region", "month", "changed", "start")


@login_required
def compare(request, pk: int):
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    versions = list(selectors.cycle_versions(cycle))
    context = {"cycle": cycle, "versions": versions, "working": selectors.WORKING}
    resolved = _versions(request, cycle, versions, context)
    if resolved is None:
        return render(request, "cycles/compare.html", context, status=404)
    low, high = resolved
    summary = selectors.plan_versions_summary(cycle=cycle, seq_a=low, seq_b=high)
    scope = _scope(request, cycle)
    context |= {
        "compared": True,
        "summary": summary,
        "scope": scope,
        "measure": scope.measure,
        "measure_label": MEASURES[scope.measure].label if scope.measure else "",
        "total_count": sum(row.count for row in summary),
        "only_changed": request.GET.get("changed", "1") != "0",
        "families": ProductFamily.objects.order_by("name"),
        "regions": Region.objects.order_by("name"),
        "months": cycle.horizon(),
    }
    context |= _grids(cycle, low, high, scope, summary, context["only_changed"])
    context |= _figures(request, cycle, low, high, scope, summary)
    context["query"] = _query(request, context)
    context["filtered"] = bool(scope.measure or scope.family_id or scope.region_id or scope.month)
    return render(request, "cycles/compare.html", context)


def _versions(request, cycle: Cycle, versions: list, context: dict) -> tuple[int, int] | None:
    """The two versions' sequences, earlier first; None (with a message) for an unknown one."""
    default_a, default_b = selectors.compare_default(cycle, versions)
    context["a"] = request.GET.get("a", default_a)
    context["b"] = request.GET.get("b", default_b)
    try:
        seq_a = selectors.version_seq(cycle, context["a"])
        seq_b = selectors.version_seq(cycle, context["b"])
    except selectors.UnknownVersion as error:
        messages.error(request, f"{error.message} Choose two of the versions listed.")
        return None
    if seq_a > seq_b:  # a comparison always reads from the earlier version to the later one
        messages.info(request, "Shown from the earlier version to the later one.")
        context["a"], context["b"] = context["b"], context["a"]
    return min(seq_a, seq_b), max(seq_a, seq_b)


def _grids(cycle: Cycle, low: int, high: int, scope: Scope, summary, only_changed: bool) -> dict:
    """The family x region grid of the chosen (or main) measure, and its SKUs when drilled."""
    chosen = scope.measure
    code = (chosen if grid_measure(chosen) else "") if chosen else _main_measure(summary)
    if not code:  # nothing changed, or a price or ratio: those do not add up
        return {"grid": None, "sku_grid": None, "grid_measure": ""}
    grid_scope = Scope(code, scope.family_id, scope.region_id, scope.month)
    args = {"cycle": cycle, "low": low, "high": high, "scope": grid_scope}
    return {
        "grid": difference_grid(**args, by_sku=False, only_changed=only_changed),
        "sku_grid": difference_grid(**args, by_sku=True, only_changed=only_changed)
        if scope.family_id
        else None,
        "grid_measure": code,
        "grid_label": MEASURES[code].label,
    }


def _main_measure(summary) -> str:
    """Agreed demand when it changed, else the first changed measure that adds up."""
    codes = [row.measure for row in summary if grid_measure(row.measure)]
    return MeasureCode.CONSENSUS if MeasureCode.CONSENSUS in codes else (codes[0] if codes else "")


def _figures(request, cycle: Cycle, low: int, high: int, scope: Scope, summary) -> dict:
    """One page of the changed figures within the filters."""
    narrowed = scope.family_id or scope.region_id or scope.month
    if narrowed:
        count = change_count(cycle_id=cycle.pk, low=low, high=high, scope=scope)
    else:
        counts = {row.measure: row.count for row in summary}
        count = counts.get(scope.measure, 0) if scope.measure else sum(counts.values())
    value = request.GET.get("start", "").strip()
    start = int(value) if value.isdigit() and int(value) < count else 0
    rows = difference_rows(
        cycle_id=cycle.pk, low=low, high=high, scope=scope, limit=CHANGES_PER_PAGE, offset=start
    )
    changes = named_changes(list(rows))
    following = start + CHANGES_PER_PAGE
    return {
        "changes": changes,
        "change_count": count,
        "first_shown": start + 1,
        "last_shown": start + len(changes),
        "previous_start": max(start - CHANGES_PER_PAGE, 0) if start else None,
        "next_start": following if following < count else None,
    }


def _scope(request, cycle: Cycle) -> Scope:
    """The filters from the query string; anything unknown is ignored with a note."""
    measure = request.GET.get("measure", "").strip()
    if measure and measure not in MEASURES:
        messages.warning(request, f"Ignored measure “{measure}”: there is no such measure.")
        measure = ""
    family = _known_id(request, "family", ProductFamily)
    region = _known_id(request, "region", Region)
    return Scope(measure, family, region, _month(request, cycle))


def _known_id(request, name: str, model) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if value.isdigit() and model.objects.filter(pk=int(value)).exists():
        return int(value)
    messages.warning(request, f"Ignored {name} “{value}”: there is no such {name}.")
    return None


def _month(request, cycle: Cycle) -> date | None:
    value = request.GET.get("month", "").strip()
    if not value:
        return None
    try:
        month = date.fromisoformat(f"{value}-01")
    except ValueError:
        month = None
    if month not in cycle.horizon():
        messages.warning(request, f"Ignored month “{value}”: not a month of {cycle}'s horizon.")
        return None
    return month


def _query(request, context: dict) -> str:
    """The current comparison and filters as a query string links add to (start left out)."""
    kept = {"a": context["a"], "b": context["b"]}
    kept |= {k: request.GET[k] for k in FILTERS if request.GET.get(k) and k != "start"}
    return urlencode(kept)


@login_required
def compare_csv(request, pk: int):
    """Every changed figure between two versions (within the filters given), streamed."""
    ensure_allowed(request.user, "cycle.view")
    cycle = get_object_or_404(Cycle, pk=pk)
    context: dict = {}
    resolved = _versions(request, cycle, list(selectors.cycle_versions(cycle)), context)
    if resolved is None:
        message = "Choose two of the cycle's versions to compare."
        return render(request, "error.html", {"title": "No such version", "message": message},
                      status=404)  # fmt: skip
    low, high = resolved
    scope = _scope(request, cycle)
    lines = difference_csv_lines(cycle=cycle, low=low, high=high, scope=scope)
    response = StreamingHttpResponse(lines, content_type="text/csv")
    name = f"plan-{cycle.month:%Y-%m}-changes-{context['a']}-to-{context['b']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
