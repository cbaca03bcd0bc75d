"""The CRM's open deals as a demand stream: weighted pipeline and learned likelihoods.

Plain Python (no Django): selectors turn deals into `OpenDeal` / `ClosedDeal` values,
this module weighs them and places them on the plan's grid of (product or family,
territory, month of expected close).

- Weighted pipeline: a deal line's units x likelihood; the deal's value in the company
  currency x likelihood, shared over its lines by their amounts. A deal without lines
  counts in revenue at its family (no units: nobody said how many); without a family, or
  without a territory, a close date or a company-currency value, it is listed as not
  placed, with the reason.
- Learned likelihood per stage: of the closed deals that reached the stage, the share
  that was won, blended with the CRM's stated likelihood (see `learned_likelihood`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

MIN_SAMPLE = 5  # closed deals a stage needs before its own history counts at all
PRIOR_WEIGHT = 10  # the CRM's stated likelihood counts as this many closed deals
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Line:
    product_id: int | None
    family_id: int | None
    quantity: Decimal
    amount: Decimal  # quantity x unit price, in the deal's currency: only its share counts


@dataclass(frozen=True)
class OpenDeal:
    id: int
    stage_id: int
    likelihood: Decimal  # percent, as the CRM states it (the deal's own, else its stage's)
    territory_id: int | None
    family_id: int | None
    close_month: date | None
    value_company: Decimal | None
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class ClosedDeal:
    won: bool
    reached_position: int  # the furthest open stage (by position) it is known to have reached


@dataclass(frozen=True)
class Stage:
    id: int
    name: str
    position: int
    likelihood: Decimal  # percent, as the CRM states it


@dataclass(frozen=True)
class StageLikelihood:
    stage_id: int
    stated: Decimal  # percent
    learned: Decimal  # percent
    won: int
    lost: int
    basis: str  # how `learned` was found, in words


@dataclass(frozen=True)
class CellKey:
    """Where weighted pipeline lands: a product (or, for deals without lines, only its
    family), a territory and the month of the expected close."""

    family_id: int
    product_id: int | None
    territory_id: int
    month: date


@dataclass
class Weighted:
    units: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    learned_units: Decimal = Decimal(0)
    learned_revenue: Decimal = Decimal(0)


@dataclass
class Pipeline:
    cells: dict[CellKey, Weighted] = field(default_factory=dict)
    not_placed: list[tuple[int, str]] = field(default_factory=list)  # (deal id, why)


def learned_likelihood(stage: Stage, won: int, lost: int) -> StageLikelihood:
    """won / (won + lost) of the closed deals that reached the stage, shrunk toward the
    CRM's stated likelihood: (won + w x stated) / (won + lost + w), w = PRIOR_WEIGHT. Below
    MIN_SAMPLE closed deals the stated likelihood is kept unchanged."""
    closed = won + lost
    stated = stage.likelihood
    if closed < MIN_SAMPLE:
        basis = (
            f"{closed} closed deal{'s' if closed != 1 else ''} reached {stage.name}, fewer "
            f"than {MIN_SAMPLE}: the CRM's {stated:.0f}% is kept."
        )
        return StageLikelihood(stage.id, stated, stated, won, lost, basis)
    prior = Decimal(PRIOR_WEIGHT)
    learned = (Decimal(won) * HUNDRED + prior * stated) / (Decimal(closed) + prior)
    basis = (
        f"{won} of {closed} closed deals that reached {stage.name} were won "
        f"({Decimal(won) * HUNDRED / closed:.0f}%); blended with the CRM's {stated:.0f}% "
        f"counted as {PRIOR_WEIGHT} deals: {learned:.1f}%."
    )
    return StageLikelihood(stage.id, stated, learned, won, lost, basis)


def stage_likelihoods(stages: list[Stage], closed: list[ClosedDeal]) -> dict[int, StageLikelihood]:
    """Each open stage's learned likelihood: a closed deal counts at every stage up to the
    furthest it reached (a won deal reached them all)."""
    result = {}
    for stage in stages:
        reached = [deal for deal in closed if deal.reached_position >= stage.position]
        won = sum(1 for deal in reached if deal.won)
        result[stage.id] = learned_likelihood(stage, won, len(reached) - won)
    return result


def weigh(deals: list[OpenDeal], learned: dict[int, StageLikelihood]) -> Pipeline:
    """The weighted pipeline of open deals, per cell, with the deals it could not place."""
    pipeline = Pipeline()
    for deal in deals:
        why = _unplaceable(deal)
        if why:
            pipeline.not_placed.append((deal.id, why))
            continue
        stage = learned.get(deal.stage_id)
        learned_pct = learned_for_deal(deal, stage)
        for key, units, revenue in deal_cells(deal):
            cell = pipeline.cells.setdefault(key, Weighted())
            cell.units += units * deal.likelihood / HUNDRED
            cell.revenue += revenue * deal.likelihood / HUNDRED
            cell.learned_units += units * learned_pct / HUNDRED
            cell.learned_revenue += revenue * learned_pct / HUNDRED
    return pipeline


def learned_for_deal(deal: OpenDeal, stage: StageLikelihood | None) -> Decimal:
    """The learned likelihood of the deal's stage; the deal's own figure without history."""
    if stage is None or stage.won + stage.lost < MIN_SAMPLE:
        return deal.likelihood
    return stage.learned


def _unplaceable(deal: OpenDeal) -> str:
    if deal.territory_id is None:
        return "no territory: map it on the CRM page"
    if deal.close_month is None:
        return "no expected close date"
    if deal.value_company is None:
        return "its currency has no rate to the company currency"
    if not deal.lines and deal.family_id is None:
        return "no line items and no family"
    if deal.lines and any(line.family_id is None for line in deal.lines) and not deal.family_id:
        return "a line names a SKU that is not in the product list"
    return ""


def deal_cells(deal: OpenDeal) -> list[tuple[CellKey, Decimal, Decimal]]:
    """A placeable deal's unweighted (cell, units, revenue): its value shared over its lines
    by their amounts (by quantity when no line has a price); a line whose SKU is unknown
    lands at the deal's family, revenue only."""
    assert deal.territory_id is not None and deal.close_month is not None
    value = deal.value_company or Decimal(0)
    if not deal.lines:
        assert deal.family_id is not None
        return [
            (CellKey(deal.family_id, None, deal.territory_id, deal.close_month), Decimal(0), value)
        ]
    weights = [line.amount for line in deal.lines]
    if not sum(weights):
        weights = [line.quantity for line in deal.lines]
    total = sum(weights) or Decimal(len(deal.lines))
    out = []
    for line, weight in zip(deal.lines, weights, strict=True):
        share = value * (weight if sum(weights) else Decimal(1)) / total
        if line.product_id is None or line.family_id is None:
            family = line.family_id or deal.family_id
            assert family is not None
            out.append(
                (CellKey(family, None, deal.territory_id, deal.close_month), Decimal(0), share)
            )
            continue
        key = CellKey(line.family_id, line.product_id, deal.territory_id, deal.close_month)
        out.append((key, line.quantity, share))
    return out


def merge(cells: dict[CellKey, Weighted], key_of) -> dict:
    """Sum cells into coarser keys: key_of(cell key) -> the key of the group (None: skip)."""
    groups: dict = defaultdict(Weighted)
    for key, cell in cells.items():
        group = key_of(key)
        if group is None:
            continue
        total = groups[group]
        total.units += cell.units
        total.revenue += cell.revenue
        total.learned_units += cell.learned_units
        total.learned_revenue += cell.learned_revenue
    return dict(groups)


@dataclass(frozen=True)
class Coverage:
    pipeline: Decimal
    booked: Decimal
    consensus: Decimal
    ratio: Decimal | None  # None when there is no consensus to cover
    below: bool


def coverage(
    *, pipeline: Decimal, booked: Decimal, consensus: Decimal, threshold: Decimal
) -> Coverage:
    """(weighted pipeline + booked) / consensus, and whether it falls below the threshold
    (a fraction: 0.8 for 80%). A month without consensus has nothing to cover."""
    if consensus <= 0:
        return Coverage(pipeline, booked, consensus, None, False)
    ratio = (pipeline + booked) / consensus
    return Coverage(pipeline, booked, consensus, ratio, ratio < threshold)
