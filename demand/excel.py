"""Excel export and re-import of the consensus plan, at the leaf level of a scope.

The export carries each cell's row version in a hidden sheet, so a re-import
is refused (409) for cells someone changed since, like an edit in the grid.
A re-import is validated first (every bad cell named by sheet cell), then
applied as leaf overrides with one reason, in one transaction: all or nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from cycles.models import Cycle, PlanValue
from demand.scope import Scope
from demand.selectors import scope_filter
from demand.services import override_apply
from sop_planner.errors import DomainError
from sop_planner.numbers import PLAN_FIGURE
from sop_planner.spreadsheet import xlsx_row

HEADER = ["product_id", "territory_id", "SKU", "Territory"]
FIRST_MONTH_COLUMN = len(HEADER) + 1


def export_workbook(cycle: Cycle, scope: Scope) -> bytes:
    """Consensus per SKU x territory x horizon month; row versions in a hidden sheet."""
    months = cycle.horizon()
    cells = (
        PlanValue.objects.filter(cycle=cycle, measure="consensus", valid_to_seq=None)
        .filter(scope_filter(scope), territory__is_active=True)
        .values_list(
            "product_id",
            "territory_id",
            "product__sku",
            "territory__name",
            "month",
            "value",
            "row_version",
        )
        .order_by("product__sku", "territory__name", "month")
    )
    rows: dict[tuple, dict] = {}
    for product, territory, sku, name, month, value, version in cells:
        row = rows.setdefault((product, territory), {"labels": [sku, name], "v": {}, "r": {}})
        row["v"][month], row["r"][month] = float(value), version
    book = Workbook()
    plan, versions = book.active, book.create_sheet("versions")
    plan.title = "consensus"
    header = HEADER + [f"{m:%Y-%m}" for m in months]
    plan.append(xlsx_row(plan, header))
    versions.append(xlsx_row(versions, header))
    for (product, territory), row in rows.items():
        labels = [product, territory, *row["labels"]]
        plan.append(xlsx_row(plan, [*labels, *(row["v"].get(m) for m in months)]))
        versions.append(xlsx_row(versions, [*labels, *(row["r"].get(m) for m in months)]))
    versions.sheet_state = "hidden"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class ImportedCell:
    product_id: int
    territory_id: int
    month: date
    value: Decimal
    version: int


def read_workbook(cycle: Cycle, data: bytes) -> list[ImportedCell]:
    """The cells of an exported workbook, or a DomainError naming every bad cell."""
    try:
        book = load_workbook(BytesIO(data), data_only=True)
        plan, versions = book["consensus"], book["versions"]
    except Exception:
        raise DomainError(
            "This is not a plan exported from the grid (sheets consensus and versions)."
        ) from None
    months = cycle.horizon()
    header = [cell.value for cell in plan[1]]
    if header != HEADER + [f"{m:%Y-%m}" for m in months]:
        raise DomainError(f"The header of sheet consensus is not the export's for {cycle}.")
    errors, cells = [], []
    version_rows = list(versions.iter_rows(min_row=2, values_only=True))
    for index, row in enumerate(plan.iter_rows(min_row=2, values_only=True)):
        stamps = version_rows[index] if index < len(version_rows) else ()
        cells += _row_cells(index + 2, row, stamps, months, errors)
    if errors:
        raise DomainError("The workbook was not applied; fix these cells:", items=errors[:50])
    return cells


def _row_cells(line: int, row, stamps, months: list[date], errors: list[str]) -> list:
    if not isinstance(row[0], int) or not isinstance(row[1], int) or tuple(stamps[:2]) != row[:2]:
        errors.append(f"Row {line}: the product and territory ids were changed.")
        return []
    cells = []
    for offset, month in enumerate(months):
        column = FIRST_MONTH_COLUMN + offset
        raw, stamp = row[column - 1], stamps[column - 1] if len(stamps) >= column else None
        if raw is None or stamp is None:
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if (
            not value.is_finite()
            or value < 0
            or value != value.to_integral_value()
            or PLAN_FIGURE.too_large(value)
        ):
            errors.append(
                f"{get_column_letter(column)}{line}: {raw!r} is not a whole number >= 0."
            )
            continue
        cells.append(ImportedCell(row[0], row[1], month, value, int(stamp)))
    return cells


@transaction.atomic
def workbook_apply(*, actor, cycle_id: int, data: bytes, reason_code: str, comment: str) -> int:
    """Apply the changed cells of a re-imported workbook as overrides; returns how many."""
    cycle = Cycle.objects.get(pk=cycle_id)
    cells = read_workbook(cycle, data)
    current = _current(cycle, cells)
    changed = [c for c in cells if current.get((c.product_id, c.territory_id, c.month)) != c.value]
    for cell in changed:
        override_apply(
            actor=actor,
            cycle_id=cycle_id,
            filters={"product": cell.product_id, "territory": cell.territory_id},
            first_month=cell.month,
            last_month=cell.month,
            mode="set",
            value=cell.value,
            reason_code=reason_code,
            comment=comment or "Excel re-import",
            expected_versions={f"{cell.month:%Y-%m}": cell.version},
        )
    return len(changed)


def _current(cycle: Cycle, cells: list[ImportedCell]) -> dict:
    rows = PlanValue.objects.filter(
        cycle=cycle,
        measure="consensus",
        valid_to_seq=None,
        product_id__in={c.product_id for c in cells},
        territory_id__in={c.territory_id for c in cells},
    ).values_list("product_id", "territory_id", "month", "value")
    return {(p, t, m): v for p, t, m, v in rows}
