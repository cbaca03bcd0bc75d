"""How other apps take part in the cycle without the cycles app importing them.

Apps register, in their AppConfig.ready():
- a stage-exit hook: called after the transaction that moved the cycle out of
  a stage has committed (forecasting starts a recomputation when data
  gathering ends);
- a cycle-open hook: called inside the transaction that opens a cycle (the
  carry-forward app proposes last month's inputs);
- a release hook: called inside the transaction that releases a cycle, before its row
  is saved as released (PostgreSQL then locks what hangs off it), so what it stores
  stands exactly as the plan was released (demand freezes the CRM pipeline);
- a gate check: returns the open items (GateItem: what it is about, and the
  user's words) that keep the cycle from leaving a stage (e.g. gaps without a
  decision);
- a plan entry: the service that takes a measure's figures entered through the
  generic plan API (supply inputs from supply, the budget from reconciliation),
  and the reader of the cell each family's figures live on (supply);
- a board panel: more of the cycle board's context for a user (the comments,
  action items and notifications of collaboration);
- the actuals reader: which territories have sales actuals for a month, for the
  data-gathering gate (forecasting).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from cycles.stages import Stage


@dataclass(frozen=True)
class GateItem:
    """One open item of a gate: a waiver is stored against kind and object_id, not the text."""

    kind: str
    object_id: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.object_id}"


StageExitHook = Callable[..., object]  # hook(*, cycle_id, actor_id); what it returns is not used
GateCheck = Callable[..., list[GateItem]]  # check(*, cycle) -> open items
OpenHook = Callable[..., object]  # hook(*, cycle); what it returns is not used
ReleaseHook = Callable[..., None]  # hook(*, cycle)

_exit_hooks: dict[Stage, list[StageExitHook]] = defaultdict(list)
_gate_checks: dict[Stage, list[GateCheck]] = defaultdict(list)
_open_hooks: list[OpenHook] = []
_release_hooks: list[ReleaseHook] = []


@dataclass(frozen=True)
class PlanEntry:
    """The service taking one measure's figures from the generic plan API.

    enter(*, actor, cycle_id, family_id, measure, territory_id, month, figure, reason);
    `per_territory` False: the figure is kept per family, on the anchor's territory."""

    enter: Callable[..., object]
    per_territory: bool


_plan_entries: dict[str, PlanEntry] = {}
_family_anchors: list[Callable[[], dict]] = []


def register_plan_entry(measures: Iterable[str], entry: PlanEntry) -> None:
    for measure in measures:
        _plan_entries[measure] = entry


def plan_entry_of(measure: str) -> PlanEntry | None:
    return _plan_entries.get(measure)


def register_family_anchors(reader: Callable[[], dict]) -> None:
    """reader() -> family id -> the anchor (product_id, territory_id) its figures live on."""
    _family_anchors[:] = [reader]


def family_anchors() -> dict:
    return _family_anchors[0]() if _family_anchors else {}


def on_cycle_open(hook: OpenHook) -> OpenHook:
    if hook not in _open_hooks:
        _open_hooks.append(hook)
    return hook


def run_cycle_open_hooks(*, cycle) -> None:
    for hook in _open_hooks:
        hook(cycle=cycle)


def on_release(hook: ReleaseHook) -> ReleaseHook:
    if hook not in _release_hooks:
        _release_hooks.append(hook)
    return hook


def run_release_hooks(*, cycle) -> None:
    for hook in _release_hooks:
        hook(cycle=cycle)


def on_stage_exit(stage: Stage) -> Callable[[StageExitHook], StageExitHook]:
    def register(hook: StageExitHook) -> StageExitHook:
        if hook not in _exit_hooks[stage]:
            _exit_hooks[stage].append(hook)
        return hook

    return register


def gate_check(stage: Stage) -> Callable[[GateCheck], GateCheck]:
    def register(check: GateCheck) -> GateCheck:
        if check not in _gate_checks[stage]:
            _gate_checks[stage].append(check)
        return check

    return register


def run_stage_exit_hooks(*, stage: Stage, cycle_id: int, actor_id: int | None) -> None:
    for hook in _exit_hooks[stage]:
        hook(cycle_id=cycle_id, actor_id=actor_id)


def registered_gate_checks(stage: Stage) -> list[GateCheck]:
    return list(_gate_checks[stage])


_actuals_readers: list[Callable[[date], set[int]]] = []


def register_actuals_reader(reader: Callable[[date], set[int]]) -> None:
    """reader(month) -> the ids of the territories with sales actuals for that month."""
    _actuals_readers[:] = [reader]


def territories_with_actuals(month: date) -> set[int]:
    return _actuals_readers[0](month) if _actuals_readers else set()


BoardPanel = Callable[..., dict]  # panel(*, user, cycle) -> context for the cycle board
_board_panels: list[BoardPanel] = []


def register_board_panel(panel: BoardPanel) -> None:
    if panel not in _board_panels:
        _board_panels.append(panel)


def board_panels_context(*, user, cycle) -> dict:
    context: dict = {}
    for panel in _board_panels:
        context |= panel(user=user, cycle=cycle)
    return context
