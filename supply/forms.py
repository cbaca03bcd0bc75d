"""The supply input grid's posted fields, parsed once; the services check the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from cycles.measures import MeasureCode
from sop_planner.fields import PlanFigureField
from sop_planner.numbers import read_plan_figure

GRID_ROWS = (
    (MeasureCode.CAPACITY, "Capacity (units)"),
    (MeasureCode.OPENING_INVENTORY, "Opening inventory (first month)"),
    (MeasureCode.INVENTORY_TARGET, "Inventory target (units)"),
    (MeasureCode.TARGET_WEEKS, "Inventory target (weeks of cover)"),
    (MeasureCode.MIN_PRODUCTION, "Minimum production"),
    (MeasureCode.MAX_COVER, "Maximum cover (weeks)"),
)


def cell_name(measure: str, month: date) -> str:
    return f"{measure}__{month:%Y-%m}"


class SupplyInputsForm(forms.Form):
    """One family's grid: a figure per measure and month, the figure the page showed, and
    the row version it was read at. A bad cell is named by family, measure and month."""

    def __init__(self, data, *, family, months: list[date]) -> None:
        super().__init__(data)
        self.months = months
        for measure, label in GRID_ROWS:
            for month in months:
                name = cell_name(measure, month)
                self.fields[name] = PlanFigureField(
                    label=f"{family}, {label}, {month:%Y-%m}", required=False
                )
                self.fields[f"before__{name}"] = forms.CharField(required=False)
                self.fields[f"v__{name}"] = forms.IntegerField(
                    label=f"Field v__{name}", min_value=0, required=False
                )

    def changed_cells(self) -> dict[tuple[str, date], tuple[Decimal, int]]:
        """(measure, month) -> (figure, row version seen) for the figures the user changed."""
        cells = {}
        for measure, _label in GRID_ROWS:
            for month in self.months:
                name = cell_name(measure, month)
                value = self.cleaned_data.get(name)
                if value is not None and value != _shown(self.cleaned_data.get(f"before__{name}")):
                    cells[(measure, month)] = (value, self.cleaned_data.get(f"v__{name}") or 0)
        return cells


def _shown(text: str | None) -> Decimal | None:
    """The figure the page showed (it writes 10500, never 10,500)."""
    try:
        return read_plan_figure(text) if text else None
    except ValueError:
        return None
