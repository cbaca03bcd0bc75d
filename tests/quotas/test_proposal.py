"""The pure proposal: top-down shares of the stretched total, split between reps."""

from datetime import date
from decimal import Decimal

from quotas.proposal import fiscal_months, gap_percent, proposed_lines, split, top_down

JAN, FEB = date(2027, 1, 1), date(2027, 2, 1)


def test_each_cell_gets_its_share_of_the_stretched_total():
    cells = {(1, 1, JAN): (Decimal(60), Decimal(600)), (2, 1, JAN): (Decimal(40), Decimal(400))}
    quotas = top_down(cells, stretch=Decimal("1.05"))
    assert quotas == {
        (1, 1, JAN): (Decimal("63.00"), Decimal("630.00")),
        (2, 1, JAN): (Decimal("42.00"), Decimal("420.00")),
    }


def test_a_split_between_three_reps_loses_no_cent():
    parts = split(Decimal("100.00"), 3)
    assert parts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(parts) == Decimal("100.00")


def test_a_cell_without_a_rep_stays_unassigned_and_one_with_two_is_split():
    cells = {(1, 1, JAN): (Decimal(10), Decimal(100)), (2, 1, FEB): (Decimal(10), Decimal(100))}
    lines = proposed_lines(cells, stretch=Decimal(1), reps={(2, FEB): [7, 8]})
    assert [(line.rep_id, line.territory_id, line.units) for line in lines] == [
        (None, 1, Decimal("10.00")),
        (7, 2, Decimal("5.00")),
        (8, 2, Decimal("5.00")),
    ]


def test_a_fiscal_year_starting_in_april_ends_in_march():
    months = fiscal_months(2027, first_month=4)
    assert months[0] == date(2027, 4, 1) and months[-1] == date(2028, 3, 1)


def test_a_plan_below_quota_is_a_negative_gap_and_no_quota_is_none():
    assert gap_percent(95.0, 100.0) == -5.0
    assert gap_percent(10.0, 0.0) is None
