"""A level of the plan: which products and territories a row or an edit covers.

Filters name a family or a SKU, a region or a territory (ids); no filter means
the whole company on that axis. Reads only.
"""

from dataclasses import dataclass, field

from products.models import Product
from sop_planner.errors import DomainError
from territories.models import Territory
from territories.selectors import active_territories

FILTER_NAMES = ("family", "product", "region", "territory")


@dataclass(frozen=True)
class Scope:
    family: int | None = None
    product: int | None = None
    region: int | None = None
    territory: int | None = None
    label: str = field(default="", compare=False)

    @classmethod
    def from_filters(cls, filters: dict) -> "Scope":
        values = {}
        for name in FILTER_NAMES:
            raw = filters.get(name)
            if raw in (None, ""):
                continue
            try:
                values[name] = int(raw)
            except (TypeError, ValueError):
                raise DomainError(f"The {name} filter {raw!r} is not an id.") from None
        return cls(**values)

    def as_filters(self) -> dict:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}

    def product_ids(self) -> list[int]:
        rows = Product.objects.all()
        if self.product:
            rows = rows.filter(pk=self.product)
        if self.family:
            rows = rows.filter(family_id=self.family)
        return list(rows.values_list("pk", flat=True))

    def territory_ids(self) -> list[int]:
        rows = active_territories()
        if self.territory:
            rows = rows.filter(pk=self.territory)
        if self.region:
            rows = rows.filter(region_id=self.region)
        return list(rows.values_list("pk", flat=True))

    def describe(self) -> str:
        """The level in a planner's words: 'Snacks in North', 'SKU-001 in Riviera'."""
        products = (
            Product.objects.filter(pk=self.product).values_list("sku", flat=True).first()
            if self.product
            else _family_name(self.family)
        )
        places = (
            Territory.objects.filter(pk=self.territory).values_list("name", flat=True).first()
            if self.territory
            else _region_name(self.region)
        )
        return f"{products or 'All products'} in {places or 'the whole company'}"


def _family_name(family_id: int | None) -> str | None:
    from products.models import ProductFamily

    if not family_id:
        return None
    return ProductFamily.objects.filter(pk=family_id).values_list("name", flat=True).first()


def _region_name(region_id: int | None) -> str | None:
    from territories.models import Region

    if not region_id:
        return None
    return Region.objects.filter(pk=region_id).values_list("name", flat=True).first()
