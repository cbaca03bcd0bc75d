"""Who wants to know that sales actuals changed, without uploads importing them.

Apps register in AppConfig.ready(); hooks run after the transaction that
committed (or reverted) an actuals upload has committed, with the months it
touched (reassessment scores the released plans of those months again).
"""

from collections.abc import Callable
from datetime import date

ActualsChangedHook = Callable[..., None]  # hook(*, months: list[date])

_actuals_changed_hooks: list[ActualsChangedHook] = []


def on_actuals_changed(hook: ActualsChangedHook) -> ActualsChangedHook:
    if hook not in _actuals_changed_hooks:
        _actuals_changed_hooks.append(hook)
    return hook


def actuals_changed_hooks(*, months: list[date]) -> None:
    for hook in _actuals_changed_hooks:
        hook(months=months)
