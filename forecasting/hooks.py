"""Who wants to know when a forecast run is done, without forecasting importing them.

Apps register in AppConfig.ready(); hooks run after the run's transaction commits
(demand planning loads the new baseline into the plan).
"""

from collections.abc import Callable

RunDoneHook = Callable[..., None]  # hook(*, run_id: int)

_run_done_hooks: list[RunDoneHook] = []


def on_run_done(hook: RunDoneHook) -> RunDoneHook:
    if hook not in _run_done_hooks:
        _run_done_hooks.append(hook)
    return hook


def run_done_hooks(*, run_id: int) -> None:
    for hook in _run_done_hooks:
        hook(run_id=run_id)
