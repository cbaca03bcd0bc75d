"""A version of the plan as a CSV file: the export kind `version_csv` (see exports.kinds).

The file is built by a worker. Its rows are read a measure and a few hundred SKUs at
a time, each read finished before the next: the worker records its progress between
reads, and on SQLite a write made while a read is still open would keep the write
lock until the read ends, holding every other user's writes for the whole build.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from cycles import selectors
from cycles.models import Cycle
from products.models import Product
from sop_planner.errors import DomainError
from sop_planner.spreadsheet import csv_field, csv_line

HEADER = ["measure", "sku", "territory", "month", "value", "changed_by"]
SKUS_PER_READ = 1000  # a measure of a 10,000-series plan: ~120,000 rows a read


@dataclass(frozen=True)
class Request:
    """A version CSV as asked for: the cycle, the version's sequence and how the user named it."""

    cycle: Cycle
    seq: int
    version: str

    @property
    def params(self) -> dict:
        return {"cycle": self.cycle.pk, "seq": self.seq, "version": self.version}

    @property
    def title(self) -> str:
        if self.version == selectors.WORKING:
            return f"{self.cycle}: the plan as it stands, as CSV"
        return f"{self.cycle}: version #{self.seq} as CSV"

    @property
    def file_name(self) -> str:
        return f"plan-{self.cycle.month:%Y-%m}-{self.version}.csv"

    @property
    def fixed(self) -> bool:
        """A version taken (or a released plan) never changes: its file can be served again."""
        return self.seq < self.cycle.version_seq or self.cycle.is_released


def version_csv_request(params: dict) -> Request:
    """Read what was asked for; an unknown cycle or version is refused, naming it."""
    cycle = Cycle.objects.filter(pk=params.get("cycle")).first()
    if cycle is None:
        raise DomainError(f"There is no cycle {params.get('cycle')}.")
    version = str(params.get("version", "")).strip()
    if params.get("seq") is not None and not version:
        version = str(params["seq"])
    seq = selectors.version_seq(cycle, version)
    return Request(cycle, seq, version)


def version_csv_rows(request: Request) -> int:
    return selectors.plan_values_as_of(request.cycle, request.seq).count()


def version_csv_chunks(request: Request) -> Iterator[tuple[str, int]]:
    """The file as (text, rows in it), ordered by measure, SKU, territory and month."""
    yield csv_line(HEADER), 0
    values = selectors.plan_values_as_of(request.cycle, request.seq)
    measures = sorted(set(values.values_list("measure", flat=True).distinct()))
    skus = list(Product.objects.order_by("sku").values_list("sku", flat=True))
    for measure in measures:
        for start in range(0, len(skus), SKUS_PER_READ):
            batch = skus[start : start + SKUS_PER_READ]
            rows = _rows(values.filter(measure=measure, product__sku__in=batch))
            if rows:
                yield "".join(_line(measure, *row) for row in rows), len(rows)


def _rows(values) -> list[tuple]:
    """One finished read (a list, not a cursor left open)."""
    return list(
        values.order_by("product__sku", "territory__code", "month").values_list(
            "product__sku", "territory__code", "month", "value", "changed_by__username"
        )
    )


def _line(measure: str, sku: str, territory: str, month, value, who) -> str:
    # measure codes, months and numbers never need quoting: only the names are checked
    return (
        f"{measure},{csv_field(sku)},{csv_field(territory)},{month:%Y-%m},{value},"
        f"{csv_field(who or '')}\r\n"
    )
