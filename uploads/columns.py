"""The columns each kind of upload has, and how a file's header maps onto them. No Django."""

from __future__ import annotations

from dataclasses import dataclass

from cycles.measures import MeasureCode
from uploads.limits import excerpt
from uploads.outcomes import ColumnsMissing, FileRefused, normalise_header


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    example: tuple[str, ...] = ()
    keys: str = ""  # how a row names what it is about, in the user's words
    # field -> the master data it names ("product", "territory", "family", "region"):
    # the template's example row uses a real one where the company has it
    references: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, KindSpec] = {
    "actuals": KindSpec(
        "actuals",
        "Sales actuals",
        ("period", "product", "territory", "units"),
        ("revenue", "currency"),
        ("2026-10", "SKU-00001", "north-east", "120", "", "EUR"),
        "period as YYYY-MM, product by SKU, territory by code",
        (("product", "product"), ("territory", "territory")),
    ),
    "products": KindSpec(
        "products",
        "Products (with prices)",
        ("sku", "name", "family", "unit_price", "unit_cost"),
        ("launch_month", "discontinued_month", "active"),
        ("SKU-90001", "Cola 33cl", "bev", "2.50", "1.40", "2026-01", "", "yes"),
        "product by SKU, family by code, months as YYYY-MM",
        (("family", "family"),),
    ),
    "territories": KindSpec(
        "territories",
        "Territories",
        ("code", "name", "region"),
        ("active",),
        ("north-east", "North-East", "north", "yes"),
        "territory by code, region by code",
        (("region", "region"),),
    ),
    "prices": KindSpec(
        "prices",
        "Prices",
        ("sku", "unit_price"),
        ("unit_cost",),
        ("SKU-00001", "2.60", "1.45"),
        "product by SKU",
        (("sku", "product"),),
    ),
    "budgets": KindSpec(
        "budgets",
        "Budget (units and revenue)",
        ("family", "territory", "month", "units", "revenue"),
        (),
        ("bev", "north-east", "2027-01", "1200", "3000.00"),
        "product family by code, territory by code, month as YYYY-MM",
        (("family", "family"), ("territory", "territory")),
    ),
    "supply_inputs": KindSpec(
        "supply_inputs",
        "Supply inputs (capacity, inventory, targets)",
        ("family", "month", "measure", "value"),
        (),
        ("bev", "2027-01", MeasureCode.CAPACITY, "20000"),
        "product family by code, month as YYYY-MM, measure: capacity, opening_inventory, "
        "inventory_target, target_weeks, min_production or max_cover",
        (("family", "family"),),
    ),
}


def example_row(spec: KindSpec, real: dict[str, str]) -> tuple[str, ...]:
    """The kind's example row, naming real master data (entity -> code) where given."""
    entity_of = dict(spec.references)
    return tuple(
        real.get(entity_of.get(field, ""), value)
        for field, value in zip(spec.columns, spec.example, strict=False)
    )


def resolve_columns(
    header: list[str], spec: KindSpec, *, file_name: str, mapping: dict[str, str] | None = None
) -> dict[str, int]:
    """Which file column holds each field: by name, or through a saved mapping.

    `mapping` maps a file column name to a field; names compare ignoring case
    and spaces. Columns the kind does not know are ignored.
    """
    wanted = {normalise_header(field): field for field in spec.columns}
    mapped = {normalise_header(k): v for k, v in (mapping or {}).items() if v}
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        key = normalise_header(name)
        field = mapped.get(key) or wanted.get(key)
        if field is None or field not in spec.columns:
            continue
        if field in positions:
            raise FileRefused(
                f"{file_name}: two columns ('{excerpt(header[positions[field]])}' and "
                f"'{excerpt(name)}') "
                f"both give '{field}'."
            )
        positions[field] = position
    missing = [field for field in spec.required if field not in positions]
    if missing:
        found = _names_found([name for name in header if name])
        raise ColumnsMissing(
            f"{file_name} lacks the column(s) {', '.join(missing)}. Columns found: {found}. "
            "Rename them or map them once (and save the mapping).",
            missing=missing,
            headers=[name for name in header if name],
        )
    return positions


def unmappable(file_name: str, missing: ColumnsMissing, *, max_columns: int) -> str | None:
    """Why a file lacking columns cannot wait for a mapping: more columns than a mapping
    form shows (and a browser can send back); None when it can."""
    count = len(missing.headers)
    if count <= max_columns:
        return None
    return (
        f"{file_name} lacks the column(s) {', '.join(missing.missing)}. Columns found: "
        f"{_names_found(missing.headers)}. That is {count:,} columns, more than the "
        f"{max_columns:,} a column mapping can show: name the needed columns "
        f"{', '.join(missing.missing)}, delete the others and upload the file again."
    )


def _names_found(names: list[str], shown: int = 20) -> str:
    """The file's column names for a message: the first few, each cut short."""
    listed = ", ".join(f"'{excerpt(name)}'" for name in names[:shown]) or "none"
    return listed + (f" and {len(names) - shown:,} more" if len(names) > shown else "")
