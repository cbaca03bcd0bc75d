"""Excel export and re-import of the consensus plan, at the leaf level of a scope.

The export carries each cell's row version in a hidden sheet, so a re-import
is refused (409) for cells someone changed since, like an edit in the grid.
A re-import is validated first (every bad cell named by sheet cell), then
applied as leaf overrides with one reason, in one transaction: all or nothing.
"""

import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.typing import User
from cycles.measures import MeasureCode
from cycles.models import Cycle, PlanValue
from demand.scope import Scope
from demand.selectors import scope_filter
from demand.services import override_apply
from products.models import Product
from sop_planner.errors import DomainError
from sop_planner.numbers import PLAN_FIGURE
from sop_planner.spreadsheet import xlsx_row
from sop_planner.workbooks import WorkbookLimits, WorkbookRefused, check_archive
from territories.models import Territory

HEADER = ["Family", "Region", "Territory", "SKU"]
FIRST_MONTH_COLUMN = len(HEADER) + 1
ERRORS_LISTED = 50  # cells named in a refusal; the message says how many there are


def export_workbook(cycle: Cycle, scope: Scope, territory_ids: list[int] | None = None) -> bytes:
    """Consensus per SKU x territory in whole units, with subtotal and total formulas.

    Rows run family > region > territory > SKU; each family x territory and each
    family ends with a SUBTOTAL row, the sheet with a grand total, each row with
    its Total. No internal id: a re-import finds SKUs and territories by name.
    The row versions sit in a hidden sheet laid out like the plan.
    """
    months = cycle.horizon()
    rows = _leaf_rows(cycle, scope, territory_ids)
    book = Workbook()
    plan, versions = book.active, book.create_sheet("versions")
    plan.title = "consensus"
    header = HEADER + [f"{m:%Y-%m}" for m in months]
    plan.append(xlsx_row(plan, [*header, "Total"]))
    versions.append(xlsx_row(versions, header))
    _write_rows(plan, versions, rows, months)
    versions.sheet_state = "hidden"
    plan.freeze_panes = plan.cell(row=2, column=FIRST_MONTH_COLUMN)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _leaf_rows(cycle: Cycle, scope: Scope, territory_ids: list[int] | None) -> dict:
    cells = (
        PlanValue.objects.live()
        .filter(cycle=cycle, measure=MeasureCode.CONSENSUS)
        .filter(scope_filter(scope), territory__is_active=True)
    )
    if territory_ids is not None:
        cells = cells.filter(territory_id__in=territory_ids)
    figures = cells.values_list(
        "product__family__name",
        "territory__region__name",
        "territory__name",
        "product__sku",
        "month",
        "value",
        "row_version",
    ).order_by(
        "product__family__name", "territory__region__name", "territory__name", "product__sku"
    )
    rows: dict[tuple, dict] = {}
    for family, region, territory, sku, month, value, version in figures:
        row = rows.setdefault((family, region, territory, sku), {"v": {}, "r": {}})
        row["v"][month] = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        row["r"][month] = version
    return rows


def _write_rows(plan, versions, rows: dict, months: list[date]) -> None:
    """Leaf rows, a SUBTOTAL per family x territory and per family, then the grand total."""
    last_column = get_column_letter(FIRST_MONTH_COLUMN + len(months) - 1)
    groups: dict[str, dict[tuple, list]] = {}
    for key, row in rows.items():
        groups.setdefault(key[0], {}).setdefault(key[1:3], []).append((key, row))
    for family, places in groups.items():
        family_first = plan.max_row + 1
        for (region, territory), leaves in places.items():
            first = plan.max_row + 1
            for (_f, _r, _t, sku), row in leaves:
                labels = [family, region, territory, sku]
                line = plan.max_row + 1
                total = f"=SUM({get_column_letter(FIRST_MONTH_COLUMN)}{line}:{last_column}{line})"
                plan.append([*xlsx_row(plan, labels), *(row["v"].get(m) for m in months), total])
                versions.append([*xlsx_row(versions, labels), *(row["r"].get(m) for m in months)])
            _subtotal(plan, versions, [family, region, f"{territory} total", None], first, months)
        _subtotal(plan, versions, [f"{family} total", None, None, None], family_first, months)
    if rows:
        _subtotal(plan, versions, ["Total", None, None, None], 2, months)


def _subtotal(plan, versions, labels: list, first: int, months: list[date]) -> None:
    """A row of SUBTOTAL(9, ...) formulas over the rows above, down to `first`."""
    line, last = plan.max_row + 1, plan.max_row
    figures = []
    for offset in range(len(months) + 1):
        column = get_column_letter(FIRST_MONTH_COLUMN + offset)
        figures.append(f"=SUBTOTAL(9,{column}{first}:{column}{last})")
    plan.append([*xlsx_row(plan, labels), *figures])
    for cell in plan[line]:
        cell.font = Font(bold=True)
    versions.append(xlsx_row(versions, labels))


@dataclass(frozen=True)
class ImportedCell:
    product_id: int
    territory_id: int
    month: date
    value: Decimal
    version: int


def read_workbook(cycle: Cycle, data: bytes) -> list[ImportedCell]:
    """The cells of an exported workbook, or a DomainError naming every bad cell."""
    _check_archive(data)
    try:
        book = load_workbook(BytesIO(data), data_only=True)
        plan, versions = book["consensus"], book["versions"]
    except Exception:
        raise DomainError(
            "This is not a plan exported from the grid (sheets consensus and versions)."
        ) from None
    months = cycle.horizon()
    header = [cell.value for cell in plan[1]][: len(HEADER) + len(months)]
    if header != HEADER + [f"{m:%Y-%m}" for m in months]:
        raise DomainError(f"The header of sheet consensus is not the export's for {cycle}.")
    errors: list[str] = []
    cells: list[ImportedCell] = []
    version_rows = list(versions.iter_rows(min_row=2, values_only=True))
    names = _Names()
    for index, row in enumerate(plan.iter_rows(min_row=2, values_only=True)):
        if not row[3]:
            continue  # a subtotal or total row: formulas, not figures
        stamps = version_rows[index] if index < len(version_rows) else ()
        cells += _row_cells(index + 2, names.ids(row), row, stamps, months, errors)
    if errors:
        raise _cells_refused(errors)
    return cells


def _cells_refused(errors: list[str]) -> DomainError:
    """The cells to fix, at most ERRORS_LISTED of them, saying how many there are in all."""
    many = len(errors) > ERRORS_LISTED
    more = f" (the first {ERRORS_LISTED} of {len(errors):,})" if many else ""
    return DomainError(
        f"The workbook was not applied; fix these cells{more}:", items=errors[:ERRORS_LISTED]
    )


# Far above any company's export (one row per SKU x territory, plus subtotals): a
# workbook declaring more is not a re-import, and is refused before it is unpacked.
GRID_LIMITS = WorkbookLimits(max_rows=250_000, max_columns=200)


def _check_archive(data: bytes) -> None:
    """Refuse a workbook that would unpack too far (a ZIP bomb) before openpyxl reads it whole
    in the web request; a file that is no ZIP at all is named by the read that follows."""
    try:
        check_archive(BytesIO(data), GRID_LIMITS)
    except WorkbookRefused as refused:
        raise DomainError(f"The workbook was not read: {refused}.") from None
    except zipfile.BadZipFile:
        return


class _Names:
    """SKU and territory names of the workbook, back to their rows."""

    def __init__(self) -> None:
        self.products = dict(Product.objects.values_list("sku", "pk"))
        self.territories = dict(Territory.objects.values_list("name", "pk"))

    def ids(self, row) -> tuple[int | None, int | None]:
        return self.products.get(str(row[3])), self.territories.get(str(row[2]))


def _row_cells(line: int, ids, row, stamps, months: list[date], errors: list[str]) -> list:
    product, territory = ids
    if product is None or territory is None or tuple(stamps[2:4]) != tuple(row[2:4]):
        errors.append(f"Row {line}: the SKU or the territory was changed.")
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
        cells.append(ImportedCell(product, territory, month, value, int(stamp)))
    return cells


@transaction.atomic
def workbook_apply(
    *, actor: User, cycle_id: int, data: bytes, reason_code: str, comment: str
) -> int:
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
    rows = (
        PlanValue.objects.live()
        .filter(
            cycle=cycle,
            measure=MeasureCode.CONSENSUS,
            product_id__in={c.product_id for c in cells},
            territory_id__in={c.territory_id for c in cells},
        )
        .values_list("product_id", "territory_id", "month", "value")
    )
    return {(p, t, m): v for p, t, m, v in rows}
