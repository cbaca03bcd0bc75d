"""Property tests: a figure written in either convention, with or without thousands marks,
lands exactly through every upload reader, or is refused; never misread or rounded.

The readers are pure (no database): the actuals validator of a chunk, the price
reader of master data and the plan-figure reader of budgets and supply inputs.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sop_planner.numbers import Convention
from tests.fixtures.numbers import written
from uploads import plan_rows
from uploads.masterdata import _money
from uploads.outcomes import ActualsRules
from uploads.validation import ActualsValidator

POINT, COMMA = Convention.DECIMAL_POINT, Convention.DECIMAL_COMMA
RULES = ActualsRules(
    products={"SKU-1": (1, 10.0)},
    territories={"t1": 1},
    current_month=date(2026, 6, 1),
    closed_through=None,
)
conventions = st.sampled_from([POINT, COMMA])


def figures(places: int, below: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=Decimal(below), places=places, allow_nan=False)


def any_figure(below: str) -> st.SearchStrategy[Decimal]:
    return st.integers(0, 6).flatmap(lambda places: figures(places, below))


def validated(units: str, revenue: str, convention: Convention):
    cells = pd.DataFrame(
        {"period": ["2026-01"], "product": ["SKU-1"], "territory": ["T1"], "units": [units],
         "revenue": [revenue]},
        index=[2],
    )  # fmt: skip
    return ActualsValidator(RULES, decimal_comma=convention is COMMA).validate(cells)


@settings(max_examples=300, deadline=None)
@given(any_figure("99999999999"), any_figure("9999999999999"), conventions, st.booleans())
def test_actuals_figures_land_exactly_or_are_refused(units, revenue, convention, grouped):
    result = validated(
        written(units, convention, grouped), written(revenue, convention, grouped), convention
    )
    exact = units == units.quantize(Decimal("0.001")) and revenue == revenue.quantize(
        Decimal("0.01")
    )
    if not exact:
        assert result.rows_rejected == 1, (units, revenue)
        assert "decimals" in " ".join(r.reason for r in result.rejections)
        return
    assert result.rows_rejected == 0, result.rejections
    row = result.valid.iloc[0]
    assert Decimal(str(row["units"])) == units and Decimal(str(row["revenue"])) == revenue


@settings(max_examples=300, deadline=None)
@given(any_figure("999999999"), conventions, st.booleans())
def test_a_price_lands_exactly_or_is_refused(price, convention, grouped):
    text = written(price, convention, grouped)
    try:
        read = _money(text, convention is COMMA)
    except (ValueError, InvalidOperation):
        assert price != price.quantize(Decimal("0.01")), text
        return
    assert read == price, (text, read)


@settings(max_examples=300, deadline=None)
@given(any_figure("99999999999999"), conventions, st.booleans())
def test_a_plan_figure_lands_exactly_or_is_refused(figure, convention, grouped):
    problems: plan_rows.Problems = []
    text = written(figure, convention, grouped)
    read = plan_rows.figure({"value": text}, "value", convention, problems)
    if read is None:
        assert figure != figure.quantize(plan_rows.FOUR_PLACES), (text, problems)
        assert "decimals" in problems[0][1]
        return
    assert read == figure, (text, read)


def test_the_refusals_say_how_many_decimals_a_figure_may_have():
    result = validated("1.2345", "10", POINT)
    assert [(r.column, r.value, r.reason) for r in result.rejections] == [
        ("units", "1.2345", "more than 3 decimals: units are kept to the thousandth")
    ]
    result = validated("1", "10,005", COMMA)
    assert [(r.column, r.reason) for r in result.rejections] == [
        ("revenue", "more than 2 decimals: revenue is kept to the cent")
    ]
    problems: plan_rows.Problems = []
    assert plan_rows.figure({"units": "1.23456"}, "units", POINT, problems) is None
    assert problems == [("units", "more than 4 decimals")]
