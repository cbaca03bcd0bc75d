"""The modules that check, write and undo the upload kinds checked row by row (not actuals)."""

from types import ModuleType

from uploads import masterdata

# Filled in the owning apps' AppConfig.ready(): uploads imports no app above it.
ROW_KINDS: dict[str, ModuleType] = {}


def register_row_kind(spec, *, module: ModuleType, action: str) -> None:
    """Another app declares an upload kind checked row by row: its columns (a KindSpec),
    the module that validates, applies and undoes it, and the action that allows it."""
    from uploads.columns import KINDS
    from uploads.selectors import KIND_ACTIONS

    KINDS[spec.name] = spec
    KIND_ACTIONS[spec.name] = action
    ROW_KINDS[spec.name] = module


def register_row_module(kind: str, module: ModuleType) -> None:
    """A kind whose columns and action uploads declares (budgets, supply inputs): the app
    owning the figures gives the module that validates, applies and undoes its rows."""
    ROW_KINDS[kind] = module


def row_kind(kind: str) -> ModuleType:
    """Budgets and supply inputs have their own module; the master data kinds share one."""
    return ROW_KINDS.get(kind, masterdata)
