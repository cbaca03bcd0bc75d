"""The modules that check, write and undo the upload kinds checked row by row (not actuals)."""

from types import ModuleType

from uploads import budgets, masterdata, supply_inputs

ROW_KINDS = {"budgets": budgets, "supply_inputs": supply_inputs}


def row_kind(kind: str) -> ModuleType:
    """Budgets and supply inputs have their own module; the master data kinds share one."""
    return ROW_KINDS.get(kind, masterdata)
