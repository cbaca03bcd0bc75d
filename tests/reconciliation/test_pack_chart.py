"""The PDF pack's chart geometry (plain Python): a round axis above the largest figure, below
the smallest negative one, and each month's point in the middle of its slot."""

from reconciliation.pack_chart import line_points, nice_axis


def test_the_axis_rises_to_a_round_figure_above_the_largest():
    axis = nice_axis([1_075_328, 965_099, None, 1_100_789])
    assert axis.ticks == [0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000]
    assert axis.share(1_250_000) == 1.0 and axis.share(0) == 0.0


def test_a_negative_figure_takes_the_axis_below_zero():
    axis = nice_axis([-30, 50])
    assert (axis.bottom, axis.top) == (-40, 60) and 0 in axis.ticks


def test_no_figure_at_all_still_gives_an_axis():
    axis = nice_axis([None, None])
    assert axis.top > axis.bottom == 0


def test_points_sit_mid_slot_and_a_month_without_a_figure_is_a_gap():
    axis = nice_axis([0, 100])
    points = line_points([0, None, 100, 50], axis=axis, left=10, width=40, base=60, height=50)
    assert points == [(15.0, 60.0), None, (35.0, 10.0), (45.0, 35.0)]
