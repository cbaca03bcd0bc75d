"""The demo company's CRM: about 300 open deals over the coming six months, loaded directly
(not through the connector), sized on each territory's own sales so the pipeline looks like
the business it forecasts. A handful cannot be placed (a new rep, an organization in no
territory, a deal in GBP) and wait on the CRM page to be mapped. Idempotent."""

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
        _deal(n, rng, stages, territories[t], product, weights[(t, product.pk)], today)
        for n, (t, product) in enumerate(_resolve(series), 1)
    ]
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


def _resolve(series):
    products = Product.objects.in_bulk({product for _, product in series})
    return [(territory, products[product]) for territory, product in series]


def _deal(n, rng, stages, territory, product, monthly_units, today) -> Deal:
    quantity = max(1, round(float(monthly_units) * rng.uniform(0.05, 0.25)))
    close = add_months(month_start(today), rng.randrange(6)).replace(day=rng.randint(1, 28))
    stage = rng.choice(stages)
    value = (product.unit_price * quantity).quantize(Decimal("0.01"))
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
        value=value,
        currency="EUR",
        value_company=value,
        territory=territory,
        mapped_by="rule",
        updated_upstream=stamp,
    )
    deal.quantity = quantity  # for its line
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
