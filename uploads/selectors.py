"""Reads the upload pages, the API and the services share."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from accounts.permissions import can, is_territory_scoped, planned_territory_ids
from cycles.calendar import add_months, month_start
from cycles.models import Cycle
from forecasting.models import SalesActual
from products.models import Product
from sop_planner.numbers import Convention
from sop_planner.spreadsheet import csv_text
from territories.models import Territory
from territories.selectors import active_territories
from uploads import access
from uploads.columns import KINDS
from uploads.models import ColumnMapping, UploadBatch, UploadRejection
from uploads.outcomes import ActualsRules

KIND_ACTIONS = {
    "actuals": "actuals.upload",
    "products": "products.upload",
    "territories": "territories.upload",
    "prices": "prices.upload",
    "budgets": "plan.budget.edit",  # Finance, as on the reconciliation budget screen
    "supply_inputs": "plan.supply.edit",  # the supply planner, as on the supply page
}


def kinds_for(user) -> list[str]:
    """The kinds of data this user may upload."""
    return [kind for kind, action in KIND_ACTIONS.items() if can(user, action)]


def closed_through() -> date | None:
    """The last closed month: the actuals basis (M-1) of the latest released cycle."""
    latest = (
        Cycle.objects.filter(status=Cycle.Status.RELEASED)
        .order_by("-month")
        .values_list("month", flat=True)
    ).first()
    return add_months(latest, -1) if latest else None


def actuals_rules(user, *, today: date | None = None) -> ActualsRules:
    products = {
        sku.upper(): (pk, float(price))
        for sku, pk, price in Product.objects.values_list("sku", "id", "unit_price")
    }
    territories = {code.lower(): pk for code, pk in Territory.objects.values_list("code", "id")}
    scoped = is_territory_scoped(user, "actuals.upload")
    return ActualsRules(
        products=products,
        territories=territories,
        current_month=month_start(today or date.today()),
        closed_through=closed_through(),
        allowed_territory_ids=planned_territory_ids(user) if scoped else None,
        currency=settings.COMPANY_CURRENCY,
    )


def batch_history(user, *, limit: int = 50) -> QuerySet[UploadBatch]:
    kinds = kinds_for(user)
    batches = UploadBatch.objects.filter(kind__in=kinds)
    return access.own_or_all(user, batches).select_related(
        "created_by", "committed_by", "reverted_by"
    )[:limit]


def example_codes() -> dict[str, str]:
    """One real code per kind of master data (entity -> code), for the templates' examples."""
    from products.models import ProductFamily
    from territories.models import Region

    firsts = {
        "product": Product.objects.filter(is_active=True).order_by("sku").values_list("sku"),
        "territory": active_territories().order_by("code").values_list("code"),
        "family": ProductFamily.objects.order_by("code").values_list("code"),
        "region": Region.objects.order_by("code").values_list("code"),
    }
    found = {entity: rows.first() for entity, rows in firsts.items()}
    return {entity: row[0] for entity, row in found.items() if row}


def territory_codes(ids: list[int]) -> list[str]:
    return list(
        Territory.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
    )


def mappings_for(kind: str | None = None) -> QuerySet[ColumnMapping]:
    rows = ColumnMapping.objects.all()
    return rows.filter(kind=kind) if kind else rows


def rejected_rows_csv(batch: UploadBatch) -> str:
    """The rejected rows as read, plus what is wrong with each: fix them and upload again."""
    grouped: dict[int, tuple[dict, list[str]]] = {}
    for rejection in UploadRejection.objects.filter(batch=batch).iterator():
        _cells, reasons = grouped.setdefault(rejection.row_number, (rejection.cells, []))
        reasons.append(f"{rejection.column}: {rejection.reason}")
    columns = _rejection_columns(grouped, batch)
    rows = (
        [number, *[cells.get(name, "") for name in columns], "; ".join(reasons)]
        for number, (cells, reasons) in sorted(grouped.items())
    )
    return csv_text(["file_row", *columns, "problem"], rows)


def _rejection_columns(grouped: dict, batch: UploadBatch) -> list[str]:
    """The columns of the rows as read, in the file's order (the database keeps a row's
    cells without their order); the kind's columns when nothing was rejected."""
    names = {name for cells, _ in grouped.values() for name in cells}
    if not names:
        return list(KINDS[batch.kind].columns)
    order = _header_names(batch) or list(KINDS[batch.kind].columns)
    return [name for name in order if name in names] + sorted(names - set(order))


def _header_names(batch: UploadBatch) -> list[str]:
    """The stored file's header as the rejected rows name it: a blank one as 'column N'."""
    from uploads import storage
    from uploads.parsing import FileRefused, detect_format, read_header

    path = storage.path_of(batch.stored_path)
    try:
        fmt = detect_format(path, batch.file_name, storage.limits())
        header = read_header(path, batch.file_name, fmt, sheet=batch.sheet)
    except (FileRefused, OSError):
        return []
    return [name or f"column {i + 1}" for i, name in enumerate(header)]


def actuals_export_csv(*, territory_ids: list[int] | None = None) -> str:
    """Actuals in the upload format: uploading this file again changes nothing."""
    rows = SalesActual.objects.order_by("period", "product__sku", "territory__code")
    if territory_ids is not None:
        rows = rows.filter(territory_id__in=territory_ids)
    values = rows.values_list("period", "product__sku", "territory__code", "units", "revenue")
    return csv_text(
        ["period", "product", "territory", "units", "revenue"],
        ((f"{p:%Y-%m}", sku, code, units, revenue) for p, sku, code, units, revenue in values),
    )


def same_file_committed(batch: UploadBatch) -> UploadBatch | None:
    """An earlier committed upload of exactly this file, if any."""
    return (
        UploadBatch.objects.filter(
            checksum=batch.checksum, kind=batch.kind, status=UploadBatch.Status.COMMITTED
        )
        .exclude(pk=batch.pk)
        .order_by("-committed_at")
        .first()
    )


def file_headers(batch: UploadBatch) -> list[str]:
    """The column names of a stored file, for the mapping step (read by the worker)."""
    return [name for name in batch.headers if name]


def number_convention(batch: UploadBatch) -> str:
    """How the figures of a stored file were read, in words for the preview; nothing while a
    worker is on it (a request reads no file the worker reads) nor once it was refused (and
    removed)."""
    from uploads import storage
    from uploads.parsing import FileRefused, detect_format

    if batch.is_running or batch.status == UploadBatch.Status.FAILED:
        return ""
    try:
        fmt = detect_format(storage.path_of(batch.stored_path), batch.file_name, storage.limits())
    except (FileRefused, OSError):
        return ""
    if batch.convention:
        return f"with a {_chosen(batch).value} (your choice, {_separated(fmt)})"
    if fmt.kind == "xlsx":
        return f"as Excel stored them (figures typed as text: with a {Convention.DECIMAL_POINT.value})"
    return f"with a {Convention.for_separator(fmt.separator).value} ({_separated(fmt)})"


def _chosen(batch: UploadBatch) -> Convention:
    return (
        Convention.DECIMAL_COMMA
        if batch.convention == "decimal_comma"
        else Convention.DECIMAL_POINT
    )


def _separated(fmt) -> str:
    if fmt.kind == "xlsx":
        return "for figures Excel stored as text"
    separated = {";": "semicolons", "\t": "tabs"}.get(fmt.separator, "commas")
    return f"the file's columns are separated by {separated}"


def other_convention(batch: UploadBatch, words: str) -> tuple[str, str] | None:
    """The convention the preview offers to switch to: (value, words); None once read.

    `words` is number_convention(batch), which the page has already worked out: describing
    the convention reads the stored file, and once per page is enough."""
    if batch.status != UploadBatch.Status.PREVIEWED or not words:
        return None
    comma = Convention.DECIMAL_COMMA.value in words
    other = Convention.DECIMAL_POINT if comma else Convention.DECIMAL_COMMA
    return ("decimal_point" if comma else "decimal_comma"), other.value
