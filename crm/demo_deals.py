"""The demo company's CRM: 300 open key-account orders over the coming six months, loaded
directly (not through the connector), sized on each territory's own sales so the pipeline
looks like the business it forecasts: weighted by their stages, a territory's deals cover
about its sales of the coming month and less the further out (COVERAGE), more in some
territories than in others, so the coverage flag has something to say. A handful cannot be
placed (a new rep, an organization in no territory, a deal in GBP) and wait on the CRM page
to be mapped. Idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from crm.deal_upload import EXPORT_MAPPING_NAME, KIND, ZENDESK_EXPORT_COLUMNS
from crm.fake_server import STAGES
from crm.models import CrmStage, CurrencyRate, Deal, DealLine, MappingRule
from cycles.calendar import add_months, month_start
from forecasting.models import SalesActual
from products.models import Product
from territories.selectors import active_territories
from uploads.services import mapping_save

SOURCE = "zendesk_sell"
DEALS = 300
UNPLACED = 6
# Weighted pipeline over a territory's monthly sales, by months ahead: the near months are
# mostly covered, the far ones barely, as in a real CRM.
COVERAGE = (0.95, 0.8, 0.6, 0.4, 0.25, 0.15)
CLOSE_WEIGHTS = (6, 5, 4, 4, 3, 3)  # more deals close soon than far out
TERRITORY_SPREAD = (0.7, 1.2)  # some territories' sales teams have more in the pipe


def demo_deals_load(*, today: date, admin, seed: int = 42) -> int:
    """Load the demo deals once; returns how many were added."""
    if Deal.objects.filter(source=SOURCE, external_id__startswith="demo-").exists():
        return 0
    mapping_save(actor=admin, name=EXPORT_MAPPING_NAME, kind=KIND, columns=ZENDESK_EXPORT_COLUMNS)
    rng = random.Random(seed)
    stages = demo_stages()
    territories = {territory.pk: territory for territory in active_territories()}
    _rules(territories.values(), admin)
    CurrencyRate.objects.get_or_create(
        currency="USD",
        valid_from=add_months(month_start(today), -1),
        defaults={"rate": Decimal("0.920000"), "created_by": admin},
    )
    weights = _sales_by_series(today)
    series = rng.choices(list(weights), weights=[float(w) for w in weights.values()], k=DEALS)
    deals = [
        _deal(n, rng, stages, territories[t], product, today)
        for n, (t, product) in enumerate(_resolve(series), 1)
    ]
    _size(deals, weights, rng)
    for deal in deals[:UNPLACED]:
        _unplace(deal, rng)
    Deal.objects.bulk_create(deals)
    _lines(deals, series)
    return len(deals)


def demo_stages() -> list[CrmStage]:
    """The demo CRM's stages (created once); returns the open ones, first stage first."""
    rows = []
    for stage in STAGES:
        row, _ = CrmStage.objects.get_or_create(
            source=SOURCE,
            external_id=str(stage["id"]),
            defaults={
                "name": stage["name"],
                "position": stage["position"],
                "likelihood": stage["likelihood"],
                "is_won": stage["category"] == "won",
                "is_lost": stage["category"] == "lost",
            },
        )
        rows.append(row)
    return [row for row in rows if not (row.is_won or row.is_lost)]


def _rules(territories, admin) -> None:
    """Each territory's rep sends their deals there (the owner's territory)."""
    for territory in territories:
        MappingRule.objects.get_or_create(
            field="owner",
            value=_rep(territory.code),
            defaults={"territory": territory, "created_by": admin},
        )


def _rep(code: str) -> str:
    return f"rep.{code}@example.com"


def _sales_by_series(today: date) -> dict[tuple[int, int], Decimal]:
    """Average monthly units per territory and product over the last year of sales."""
    since = add_months(month_start(today), -12)
    rows = (
        SalesActual.objects.filter(period__gte=since)
        .values_list("territory_id", "product_id")
        .annotate(units=Sum("units"))
    )
    active = set(active_territories().values_list("pk", flat=True))
    return {(t, p): units / 12 for t, p, units in rows if units and units > 0 and t in active}


def _size(deals: list[Deal], units: dict[tuple[int, int], Decimal], rng: random.Random) -> None:
    """Size each territory x close month's deals so that, weighted by their stages, they make
    COVERAGE of the territory's monthly sales (times the territory's own spread). A deal's
    part goes with its product's own sales (a best seller's order is a big one), varied."""
    prices = dict(Product.objects.values_list("pk", "unit_price"))
    revenue: dict[int, Decimal] = {}
    for (territory, product), monthly in units.items():
        revenue[territory] = revenue.get(territory, Decimal(0)) + monthly * prices[product]
    for deal in deals:
        deal.sales = units[(deal.territory.pk, deal.product.pk)] * deal.product.unit_price
    spread = {t: Decimal(str(round(rng.uniform(*TERRITORY_SPREAD), 2))) for t in revenue}
    groups: dict[tuple[int, int], list[Deal]] = {}
    for deal in deals:
        groups.setdefault((deal.territory.pk, deal.months_ahead), []).append(deal)
    for (territory, ahead), group in groups.items():
        target = revenue[territory] * Decimal(str(COVERAGE[ahead])) * spread[territory]
        parts = [deal.sales * Decimal(str(round(rng.uniform(0.5, 1.5), 2))) for deal in group]
        for deal, part in zip(group, parts, strict=True):
            weighted = target * part / sum(parts)
            price = deal.product.unit_price
            deal.quantity = max(1, round(weighted * 100 / deal.stage.likelihood / price))
            deal.value = deal.value_company = (price * deal.quantity).quantize(Decimal("0.01"))


def _resolve(series):
    products = Product.objects.in_bulk({product for _, product in series})
    return [(territory, products[product]) for territory, product in series]


def _deal(n, rng, stages, territory, product, today) -> Deal:
    """A deal of one product for a territory's key account; _size gives its quantity."""
    ahead = rng.choices(range(len(CLOSE_WEIGHTS)), weights=CLOSE_WEIGHTS)[0]
    close = add_months(month_start(today), ahead).replace(day=rng.randint(1, 28))
    stage = rng.choice(stages)
    stamp = timezone.make_aware(datetime.combine(today, time(6, 0)))
    deal = Deal(
        source=SOURCE,
        external_id=f"demo-{n}",
        name=f"{territory.name} {product.name} order {n}",
        organization=f"{territory.name} Retail {n % 7 + 1}",
        organization_region=territory.name,
        owner_name=f"Rep {territory.name}",
        owner_email=_rep(territory.code),
        stage=stage,
        expected_close=close,
        currency="EUR",
        territory=territory,
        mapped_by="rule",
        updated_upstream=stamp,
    )
    deal.product, deal.months_ahead = product, ahead  # for _size and its line
    return deal


def _unplace(deal: Deal, rng: random.Random) -> None:
    """A deal the demo's admin has to map: a new rep, far away, some in pounds."""
    deal.owner_email, deal.owner_name = "new.rep@example.com", "Nina Newcomer"
    deal.organization, deal.organization_region = "Faraway Imports", "Atlantis"
    deal.territory, deal.mapped_by = None, ""
    if rng.random() < 0.5:
        deal.currency, deal.value_company = "GBP", None


def _lines(deals: list[Deal], series) -> None:
    stored = dict(
        Deal.objects.filter(source=SOURCE, external_id__startswith="demo-").values_list(
            "external_id", "pk"
        )
    )
    DealLine.objects.bulk_create(
        DealLine(
            deal_id=stored[deal.external_id],
            sku=product.sku,
            product=product,
            quantity=Decimal(deal.quantity),
            unit_price=product.unit_price,
        )
        for deal, (_, product) in zip(deals, _resolve(series), strict=True)
    )
