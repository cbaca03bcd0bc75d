"""A deterministic demo company: hierarchies, SKUs and 48 months of sales.

Plain numpy and pandas, no Django: the same seed gives the same company.
Series come in the shapes a planner meets: smooth seasonal, erratic,
intermittent, newly launched and discontinued.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from cycles.calendar import add_months

REGIONS = {
    "north": ("North", ["North-East", "North-West", "Highlands"]),
    "south": ("South", ["South-Coast", "Riviera", "Iberia"]),
    "east": ("East", ["Danube", "Baltic", "Carpathia"]),
    "west": ("West", ["Atlantic", "Channel", "Benelux"]),
}
FAMILIES = [
    ("bev", "Beverages", 2.5),
    ("snk", "Snacks", 3.0),
    ("dai", "Dairy", 1.8),
    ("frz", "Frozen Foods", 6.0),
    ("hh", "Household", 8.0),
    ("pc", "Personal Care", 7.5),
    ("pet", "Pet Care", 12.0),
    ("baby", "Baby Care", 15.0),
]
PATTERNS = ("smooth", "erratic", "intermittent", "new", "discontinued")
PATTERN_WEIGHTS = (0.70, 0.09, 0.10, 0.07, 0.04)
SIZES = ["Mini", "Small", "Regular", "Large", "Family", "Value Pack", "Multipack", "XL"]


@dataclass(frozen=True)
class DemoSpec:
    end_month: date  # the last month with sales (M-1 of the open cycle)
    seed: int = 42
    months: int = 48
    skus: int = 150

    def month_index(self) -> list[date]:
        return [add_months(self.end_month, offset) for offset in range(1 - self.months, 1)]


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    family: str
    unit_price: float
    unit_cost: float
    pattern: str
    launch_month: date | None = None
    discontinued_month: date | None = None


@dataclass
class Company:
    regions: list[tuple[str, str]]
    territories: list[tuple[str, str, str]]  # code, name, region code
    families: list[tuple[str, str]]
    products: list[ProductSpec] = field(default_factory=list)


def skus_for_series(series: int) -> int:
    return -(-series // territory_count())


def territory_count() -> int:
    return sum(len(names) for _, names in REGIONS.values())


def build_company(spec: DemoSpec) -> Company:
    rng = np.random.default_rng(spec.seed)
    regions = [(code, name) for code, (name, _) in REGIONS.items()]
    territories = [
        (_slug(name), name, code) for code, (_, names) in REGIONS.items() for name in names
    ]
    families = [(code, name) for code, name, _ in FAMILIES]
    products = [_product(rng, spec, index) for index in range(spec.skus)]
    return Company(regions, territories, families, products)


def _product(rng: np.random.Generator, spec: DemoSpec, index: int) -> ProductSpec:
    code, family_name, base_price = FAMILIES[index % len(FAMILIES)]
    pattern = str(rng.choice(PATTERNS, p=PATTERN_WEIGHTS))
    price = round(float(base_price * rng.uniform(0.6, 2.2)), 2)
    cost = round(price * float(rng.uniform(0.45, 0.75)), 2)
    launch = discontinued = None
    if pattern == "new":
        launch = add_months(spec.end_month, -int(rng.integers(2, 18)))
    elif pattern == "discontinued":
        discontinued = add_months(spec.end_month, -int(rng.integers(1, 12)))
    size = SIZES[(index // len(FAMILIES)) % len(SIZES)]
    name = f"{family_name} {size} {index // (len(FAMILIES) * len(SIZES)) + 1}"
    return ProductSpec(
        f"{code.upper()}-{index + 1:05d}", name, code, price, cost, pattern, launch, discontinued
    )


def build_sales(company: Company, spec: DemoSpec) -> pd.DataFrame:
    """Monthly units per SKU x territory, long format: sku, territory, period, units.

    Months before launch and from discontinuation on have no row.
    """
    rng = np.random.default_rng(spec.seed + 1)
    months = spec.month_index()
    t = np.arange(spec.months)
    frames = []
    territory_codes = [code for code, _, _ in company.territories]
    territory_size = rng.lognormal(0.0, 0.35, len(territory_codes))
    for product in company.products:
        units = _product_units(rng, product, t, territory_size)
        frame = pd.DataFrame(units, index=territory_codes, columns=months)
        frame = frame.loc[:, _on_sale(months, product)]
        long = frame.stack().rename("units").reset_index()
        long.columns = ["territory", "period", "units"]
        long["sku"] = product.sku
        frames.append(long)
    sales = pd.concat(frames, ignore_index=True)
    return sales[["sku", "territory", "period", "units"]]


def _on_sale(months: list[date], product: ProductSpec) -> list[bool]:
    return [
        (product.launch_month is None or month >= product.launch_month)
        and (product.discontinued_month is None or month < product.discontinued_month)
        for month in months
    ]


def _product_units(
    rng: np.random.Generator, product: ProductSpec, t: np.ndarray, territory_size: np.ndarray
) -> np.ndarray:
    level = rng.lognormal(4.0, 0.8) * territory_size[:, None]
    if product.pattern == "intermittent":
        rate = rng.uniform(0.2, 1.2) * territory_size[:, None]
        return rng.poisson(np.broadcast_to(rate, (len(territory_size), len(t)))).astype(float)
    trend = (1 + rng.normal(0.0, 0.008)) ** t
    amplitude, phase = rng.uniform(0.05, 0.45), rng.uniform(0, 2 * np.pi)
    season = 1 + amplitude * np.sin(2 * np.pi * t / 12 + phase)
    noise_sd = 0.55 if product.pattern == "erratic" else rng.uniform(0.06, 0.2)
    noise = rng.lognormal(0.0, noise_sd, (len(territory_size), len(t)))
    units = level * trend * season * noise
    if product.pattern == "new":
        ramp = np.clip((t - t.max() + 18) / 6, 0.15, 1.0)
        units = units * ramp
    return np.round(np.clip(units, 0, None))


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")
