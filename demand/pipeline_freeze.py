"""Freeze the weighted CRM pipeline when a cycle is released.

Registered as a cycles release hook (demand.apps): it runs inside the release's
transaction, so the frozen pipeline is exactly the one standing when the plan was
released, and a release that fails freezes nothing.
"""

from demand import pipeline
from demand.models import ReleasedBooked, ReleasedPipeline, ReleasedPipelineCell
from demand.pipeline_reads import as_input, booked_revenue, learned_likelihoods, open_deals


def pipeline_freeze(*, cycle) -> ReleasedPipeline:
    """Store the cycle's weighted pipeline (both likelihoods) and booked revenue as they
    stand now. Idempotent: a cycle keeps the pipeline frozen at its first release."""
    existing = ReleasedPipeline.objects.filter(cycle=cycle).first()
    if existing:
        return existing
    deals = open_deals(cycle.horizon())
    weighted = pipeline.weigh([as_input(d) for d in deals.values()], learned_likelihoods())
    frozen = frozen_store(
        cycle=cycle,
        weighted=weighted,
        deals=len(deals) - len(weighted.not_placed),
        not_placed=len(weighted.not_placed),
    )
    ReleasedBooked.objects.bulk_create(
        ReleasedBooked(frozen=frozen, territory_id=territory_id, month=month, revenue=revenue)
        for (territory_id, month), revenue in booked_revenue(cycle.horizon()).items()
        if territory_id is not None
    )
    return frozen


def frozen_store(
    *, cycle, weighted: pipeline.Pipeline, deals: int, not_placed: int
) -> ReleasedPipeline:
    """Write a weighed pipeline as the one frozen for this cycle (its cells, both
    likelihoods); the release hook and the demo's history both store it this way."""
    frozen = ReleasedPipeline.objects.create(cycle=cycle, deals=deals, not_placed=not_placed)
    ReleasedPipelineCell.objects.bulk_create(
        ReleasedPipelineCell(
            frozen=frozen,
            family_id=key.family_id,
            product_id=key.product_id,
            territory_id=key.territory_id,
            month=key.month,
            units=cell.units,
            revenue=cell.revenue,
            learned_units=cell.learned_units,
            learned_revenue=cell.learned_revenue,
        )
        for key, cell in weighted.cells.items()
    )
    return frozen
