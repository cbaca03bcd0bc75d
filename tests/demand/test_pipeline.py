"""The weighted pipeline and learned likelihoods, with figures checked by hand."""

from datetime import date
from decimal import Decimal as D

from demand.pipeline import (
    MIN_SAMPLE,
    CellKey,
    ClosedDeal,
    Line,
    OpenDeal,
    Stage,
    coverage,
    learned_likelihood,
    merge,
    stage_likelihoods,
    weigh,
)

MAY = date(2027, 5, 1)
QUALIFIED = Stage(id=1, name="Qualified", position=1, likelihood=D(20))
PROPOSAL = Stage(id=2, name="Proposal", position=2, likelihood=D(60))


def deal(**fields) -> OpenDeal:
    base = dict(
        id=1,
        stage_id=2,
        likelihood=D(60),
        territory_id=7,
        family_id=3,
        close_month=MAY,
        value_company=D(1000),
        lines=(),
    )
    return OpenDeal(**{**base, **fields})


def test_a_line_counts_its_units_and_its_share_of_the_value_at_the_stage_likelihood():
    lines = (Line(11, 3, D(10), D(300)), Line(12, 3, D(5), D(100)))
    pipeline = weigh([deal(lines=lines)], {})
    first = pipeline.cells[CellKey(3, 11, 7, MAY)]
    second = pipeline.cells[CellKey(3, 12, 7, MAY)]
    assert (first.units, first.revenue) == (D(6), D(450))  # 10 x 60%, 1000 x 3/4 x 60%
    assert (second.units, second.revenue) == (D(3), D(150))  # 5 x 60%, 1000 x 1/4 x 60%


def test_a_deal_without_lines_counts_in_revenue_at_its_family_only():
    cell = weigh([deal(likelihood=D(25))], {}).cells[CellKey(3, None, 7, MAY)]
    assert (cell.units, cell.revenue) == (D(0), D(250))


def test_deals_that_cannot_be_placed_are_listed_with_the_reason():
    pipeline = weigh(
        [
            deal(id=1, family_id=None),
            deal(id=2, territory_id=None),
            deal(id=3, value_company=None),
            deal(id=4, close_month=None),
        ],
        {},
    )
    assert pipeline.cells == {}
    reasons = dict(pipeline.not_placed)
    assert reasons[1] == "no line items and no family"
    assert reasons[2].startswith("no territory")
    assert "no rate" in reasons[3]
    assert reasons[4] == "no expected close date"


def test_a_stage_with_too_few_closed_deals_keeps_the_crm_likelihood():
    learned = learned_likelihood(PROPOSAL, won=MIN_SAMPLE - 1, lost=0)
    assert learned.learned == D(60)
    assert "the CRM's 60% is kept" in learned.basis


def test_learned_likelihood_blends_the_win_rate_with_the_stated_one():
    # 3 won of 10 closed: (3 x 100 + 10 x 60) / (10 + 10) = 45%
    learned = learned_likelihood(PROPOSAL, won=3, lost=7)
    assert learned.learned == D(45)
    assert learned.basis == (
        "3 of 10 closed deals that reached Proposal were won (30%); "
        "blended with the CRM's 60% counted as 10 deals: 45.0%."
    )


def test_a_closed_deal_counts_at_every_stage_it_reached():
    closed = [ClosedDeal(won=True, reached_position=9)] * 4 + [
        ClosedDeal(won=False, reached_position=1)
    ] * 6
    result = stage_likelihoods([QUALIFIED, PROPOSAL], closed)
    # Qualified: 4 won of 10 -> (400 + 200) / 20 = 30%; Proposal: 4 of 4, too few: 60% kept.
    assert result[1].learned == D(30)
    assert (result[2].won, result[2].lost, result[2].learned) == (4, 0, D(60))


def test_the_learned_row_weighs_by_the_learned_likelihood():
    learned = {2: learned_likelihood(PROPOSAL, won=3, lost=7)}
    lines = (Line(11, 3, D(10), D(0)),)
    cell = weigh([deal(lines=lines)], learned).cells[CellKey(3, 11, 7, MAY)]
    assert (cell.units, cell.learned_units) == (D(6), D("4.5"))
    assert (cell.revenue, cell.learned_revenue) == (D(600), D(450))


def test_merge_adds_cells_up_to_a_coarser_level():
    lines = (Line(11, 3, D(10), D(1)), Line(12, 3, D(10), D(1)))
    pipeline = weigh([deal(lines=lines), deal(id=2, likelihood=D(50))], {})
    by_family = merge(pipeline.cells, lambda key: (key.family_id, key.territory_id))
    assert by_family[(3, 7)].units == D(12)
    assert by_family[(3, 7)].revenue == D(1100)


def test_coverage_is_pipeline_plus_booked_over_consensus_and_flags_below_threshold():
    covered = coverage(pipeline=D(300), booked=D(500), consensus=D(1000), threshold=D("0.8"))
    short = coverage(pipeline=D(200), booked=D(500), consensus=D(1000), threshold=D("0.8"))
    nothing = coverage(pipeline=D(200), booked=D(0), consensus=D(0), threshold=D("0.8"))
    assert (covered.ratio, covered.below) == (D("0.8"), False)
    assert (short.ratio, short.below) == (D("0.7"), True)
    assert (nothing.ratio, nothing.below) == (None, False)
