"""How other apps take part in the cycle without the cycles app importing them.

Apps register, in their AppConfig.ready():
- a stage-exit hook: called after the transaction that moved the cycle out of
  a stage has committed (forecasting starts a recomputation when data
  gathering ends);
- a cycle-open hook: called inside the transaction that opens a cycle (the
  carry-forward app proposes last month's inputs);
- a release hook: called inside the transaction that releases a cycle, so what it
  stores stands exactly as the plan was released (demand freezes the CRM pipeline);
- a gate check: returns the open items (GateItem: what it is about, and the
  user's words) that keep the cycle from leaving a stage (e.g. gaps without a
  decision).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

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


StageExitHook = Callable[..., None]  # hook(*, cycle_id: int, actor_id: int | None)
GateCheck = Callable[..., list[GateItem]]  # check(*, cycle) -> open items
OpenHook = Callable[..., object]  # hook(*, cycle); what it returns is not used
ReleaseHook = Callable[..., None]  # hook(*, cycle)

_exit_hooks: dict[Stage, list[StageExitHook]] = defaultdict(list)
_gate_checks: dict[Stage, list[GateCheck]] = defaultdict(list)
_open_hooks: list[OpenHook] = []
_release_hooks: list[ReleaseHook] = []


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
