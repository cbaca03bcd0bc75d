"""The demo's CRM history (issue 18): closed deals behind the last released cycles, and the
weighted pipeline each of those cycles froze at its release.

Synthetic demo history, like the demo's baselines: the deals are drawn from the demo's own
actuals (each sized on its territory x product's sales in the month it closed), so the
pipeline a cycle froze is a forecast that reassessment can score against what was sold.
Each deal was open for a few months before it closed, moving up the stages as its close
came nearer; about half were won, the others lost from the stage they had reached, and one
in five slipped (at an earlier release it was expected to close sooner than it did). The
won and lost deals are also the evidence the learned likelihoods are learned from.

The frozen pipeline is written through the freeze's own weighing (demand.pipeline.weigh)
into its models, while the cycle is still open: a released cycle is immutable.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from crm.demo_deals import SOURCE, demo_stages
from crm.models import CrmStage, Deal, DealLine
from cycles.calendar import add_months
from cycles.models import Cycle
from demand import pipeline
from demand.models import ReleasedPipeline
from demand.pipeline_freeze import frozen_store
from demand.pipeline_reads import learned_likelihoods
from forecasting.models import SalesActual
from products.models import Product

PIPELINE_CYCLES = 6  # the last released cycles that froze a pipeline
DEALS_PER_GROUP = (1, 1, 2, 2, 3)  # deals of a territory x family closing in a month
PREFIX = "hist-"
WIN_RATE = 0.55
SLIP_RATE = 0.2
OPEN_IDS = 1_000_000  # the still-open orders' ids, apart from the stored ones


@dataclass(frozen=True)
class HistoryDeal:
    """A deal of the demo's past: open from `opened` until it closed in `closed`."""

    n: int
    territory_id: int
    family_id: int
    lines: tuple[tuple[Product, int], ...]  # (product, quantity): a key account's order
    opened: date
    closed: date
    won: bool
    reached: int  # index in the open stages of the furthest stage it reached
    slip: int  # months it closed later than first expected
    still_open: bool = False  # closes after the history: in the frozen pipelines, not stored


class DemoPipelineHistory:
    """The demo's closed deals and, per cycle, the pipeline they made at its release."""

    def __init__(self, months: list[date], *, seed: int) -> None:
        self.months = set(months[-PIPELINE_CYCLES:])
        self.stages = demo_stages()
        rng = random.Random(seed + 18)
        self.deals = _history_deals(sorted(self.months), rng) + _open_after(max(months), rng)
        self._store()
        self.learned = learned_likelihoods()

    def freeze(self, cycle: Cycle) -> None:
        """Freeze the cycle's pipeline as the open deals stood at its release (open cycles
        only: a released cycle is immutable)."""
        if cycle.month not in self.months or ReleasedPipeline.objects.filter(cycle=cycle):
            return
        open_then = [d for d in self.deals if d.opened <= cycle.month <= d.closed]
        weighted = pipeline.weigh(
            [self._as_input(d, cycle.month) for d in open_then], self.learned
        )
        frozen_store(cycle=cycle, weighted=weighted, deals=len(open_then), not_placed=0)

    def _stage_at(self, deal: HistoryDeal, month: date) -> CrmStage:
        """Further up the stages the nearer its close, never past the furthest it reached."""
        ahead = _months_between(month, deal.closed)
        index = max(0, len(self.stages) - 1 - ahead)
        return self.stages[min(index, deal.reached)]

    def _as_input(self, deal: HistoryDeal, month: date) -> pipeline.OpenDeal:
        stage = self._stage_at(deal, month)
        expected = max(month, add_months(deal.closed, -deal.slip))
        lines = tuple(
            pipeline.Line(product.pk, product.family_id, Decimal(q), product.unit_price * q)
            for product, q in deal.lines
        )
        return pipeline.OpenDeal(
            id=deal.n,
            stage_id=stage.pk,
            likelihood=Decimal(stage.likelihood),
            territory_id=deal.territory_id,
            family_id=deal.family_id,
            close_month=expected,
            value_company=sum((line.amount for line in lines), Decimal(0)),
            lines=lines,
        )

    def _store(self) -> None:
        """The closed deals, as the CRM lists them today (once: seeding again adds none)."""
        if Deal.objects.filter(source=SOURCE, external_id__startswith=PREFIX).exists():
            return
        won = CrmStage.objects.get(source=SOURCE, is_won=True)
        stored = [d for d in self.deals if not d.still_open]
        rows = [self._deal(d, won) for d in stored]
        Deal.objects.bulk_create(rows)
        ids = dict(
            Deal.objects.filter(source=SOURCE, external_id__startswith=PREFIX).values_list(
                "external_id", "pk"
            )
        )
        DealLine.objects.bulk_create(
            DealLine(
                deal_id=ids[f"{PREFIX}{d.n}"],
                sku=product.sku,
                product=product,
                quantity=Decimal(quantity),
                unit_price=product.unit_price,
            )
            for d in stored
            for product, quantity in d.lines
        )

    def _deal(self, deal: HistoryDeal, won_stage: CrmStage) -> Deal:
        value = sum((p.unit_price * q for p, q in deal.lines), Decimal(0)).quantize(
            Decimal("0.01")
        )
        closed_on = deal.closed.replace(day=15)
        stamp = timezone.make_aware(datetime.combine(closed_on, time(6, 0)))
        return Deal(
            source=SOURCE,
            external_id=f"{PREFIX}{deal.n}",
            name=f"Key account order (history {deal.n})",
            owner_name="Demo history",
            stage=won_stage if deal.won else self.stages[deal.reached],
            status=Deal.Status.WON if deal.won else Deal.Status.LOST,
            expected_close=closed_on,
            closed_on=closed_on,
            value=value,
            currency="EUR",
            value_company=value,
            territory_id=deal.territory_id,
            family_id=deal.family_id,
            mapped_by="rule",
            updated_upstream=stamp,
        )


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _history_deals(months: list[date], rng: random.Random) -> list[HistoryDeal]:
    """Key-account orders closing in each month from the first pipeline cycle's to the last
    sold month: one to three per territory x family that sold, each for the family's products
    in proportion to what they sold. A group's orders are worth its sales over the win rate
    (times a little noise), so what was won is about what was shipped."""
    deals: list[HistoryDeal] = []
    for month in months:
        for (territory_id, family_id), sales in sorted(_month_groups(month).items()):
            for lines in _orders(sales, rng):
                deals.append(
                    _history_deal(len(deals) + 1, rng, territory_id, family_id, lines, month)
                )
    return deals


def _month_groups(month: date) -> dict[tuple[int, int], list[tuple[Product, Decimal]]]:
    """(territory, family) -> each product's units sold in the month."""
    products = {p.pk: p for p in Product.objects.all()}
    groups: dict[tuple[int, int], list[tuple[Product, Decimal]]] = {}
    sold = (
        SalesActual.objects.filter(period=month, units__gt=0)
        .values_list("territory_id", "product_id")
        .annotate(units=Sum("units"))
    )
    for territory_id, product_id, units in sold:
        product = products[product_id]
        groups.setdefault((territory_id, product.family_id), []).append((product, units))
    return groups


def _open_after(last: date, rng: random.Random) -> list[HistoryDeal]:
    """Orders closing in the three months after the history, sized on its last month's
    sales (the month before for a territory whose last month is not in): the late cycles'
    frozen pipelines reach past the last sold month, as a real CRM's did at their release."""
    sold = {**_month_groups(add_months(last, -1)), **_month_groups(last)}  # a late one too
    deals = []
    for ahead in (1, 2, 3):
        month = add_months(last, ahead)
        for (territory_id, family_id), sales in sorted(sold.items()):
            for lines in _orders(sales, rng):
                deal = _history_deal(
                    OPEN_IDS + len(deals), rng, territory_id, family_id, lines, month
                )
                deals.append(replace(deal, won=False, reached=3, slip=0, still_open=True))
    return deals


def _orders(sales: list[tuple[Product, Decimal]], rng: random.Random) -> list[tuple]:
    """A group's orders: its month of sales over the win rate, shared unevenly between one to
    three orders, each order's lines in proportion to the products' sales."""
    count = rng.choice(DEALS_PER_GROUP)
    scale = rng.uniform(0.75, 1.25) / WIN_RATE
    shares = [rng.uniform(0.3, 1.7) for _ in range(count)]
    orders = []
    for share in shares:
        part = scale * share / sum(shares)
        lines = tuple((product, max(1, round(float(units) * part))) for product, units in sales)
        orders.append(lines)
    return orders


def _history_deal(n, rng, territory_id, family_id, lines, month) -> HistoryDeal:
    won = rng.random() < WIN_RATE
    return HistoryDeal(
        n=n,
        territory_id=territory_id,
        family_id=family_id,
        lines=lines,
        opened=add_months(month, -rng.randint(1, 4)),
        closed=month,
        won=won,
        reached=3 if won else rng.choice([0, 1, 1, 2, 2, 3]),
        slip=rng.choice([1, 2]) if rng.random() < SLIP_RATE else 0,
    )
