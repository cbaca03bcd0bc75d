"""The pure parts of an upload: numbers, months, duplicate keys and column names. No database."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from uploads.columns import KINDS, resolve_columns
from uploads.outcomes import ColumnsMissing, normalise_header
from uploads.validation import (
    ActualsRules,
    ActualsValidator,
    KeyIndex,
    parse_numbers,
    parse_period,
)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("12", False, 12.0),
        ("1,234.5", False, 1234.5),
        ("1 234,5", True, 1234.5),
        ("1.234,5", True, 1234.5),
        ("0,25", True, 0.25),
        ("-3", False, -3.0),
        ("abc", False, None),
        ("inf", False, None),
        ("", False, None),
    ],
)
def test_numbers_are_read_as_people_write_them(text, decimal_comma, expected):
    value = parse_numbers(pd.Series([text]), decimal_comma=decimal_comma).iloc[0]
    assert np.isnan(value) if expected is None else value == expected


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-03", (2026, 3)),
        ("2026-3", (2026, 3)),
        ("2026-03-01", (2026, 3)),
        ("2026/03", (2026, 3)),
    ],
)
def test_a_month_is_read_in_its_common_spellings(text, month):
    assert parse_period(text) == month[0] * 12 + month[1] - 1


@pytest.mark.parametrize("text", ["2026-13", "2026-03-15", "March 2026", "26-03", ""])
def test_anything_else_is_not_a_month(text):
    assert np.isnan(parse_period(text))


def test_duplicates_are_found_across_chunks_and_point_to_the_first_row():
    index = KeyIndex()
    first = index.first_rows(np.array([10, 20, 10]), np.array([2, 3, 4]))
    second = index.first_rows(np.array([20, 30]), np.array([5, 6]))
    assert first.tolist() == [0, 0, 2]
    assert second.tolist() == [3, 0]


def test_a_chunk_of_nothing_but_repeats_then_more_rows_still_points_to_the_first_rows():
    """An export pasted twice: the second copy's chunk repeats every key (issue 19, finding 7)."""
    index = KeyIndex()
    index.first_rows(np.array([10, 20]), np.array([2, 3]))
    repeats = index.first_rows(np.array([10, 20]), np.array([4, 5]))
    after = index.first_rows(np.array([20, 30, 10]), np.array([6, 7, 8]))
    assert repeats.tolist() == [2, 3]
    assert after.tolist() == [3, 0, 2]


def test_header_names_match_ignoring_case_spaces_and_underscores():
    assert normalise_header(" Unit_Price ") == normalise_header("unit price") == "unitprice"
    positions = resolve_columns(
        ["PERIOD", " Product", "Territory ", "UNITS"], KINDS["actuals"], file_name="f.csv"
    )
    assert positions == {"period": 0, "product": 1, "territory": 2, "units": 3}


def test_a_mapping_reads_differently_named_columns():
    mapping = {"Month": "period", "Item": "product", "Qty": "units"}
    positions = resolve_columns(
        ["month", "item", "territory", "qty"], KINDS["actuals"], file_name="f", mapping=mapping
    )
    assert positions == {"period": 0, "product": 1, "territory": 2, "units": 3}


def test_missing_columns_are_named_with_the_columns_found():
    with pytest.raises(ColumnsMissing) as missing:
        resolve_columns(["month", "qty"], KINDS["actuals"], file_name="f.csv")
    assert missing.value.missing == ["period", "product", "territory", "units"]
    assert missing.value.headers == ["month", "qty"]


def test_validator_gives_ids_revenue_from_list_price_and_one_reason_per_problem():
    rules = ActualsRules(
        products={"SKU-1": (7, 2.5)},
        territories={"north": 3},
        current_month=date(2026, 11, 1),
        closed_through=date(2026, 6, 1),
        allowed_territory_ids=None,
    )
    cells = pd.DataFrame(
        {
            "period": ["2026-10", "2026-06", "2026-11"],
            "product": ["sku-1", "SKU-1", "SKU-2"],
            "territory": ["North", "north", "north"],
            "units": ["4", "1", "x"],
        },
        index=[2, 3, 4],
    )
    result = ActualsValidator(rules, decimal_comma=False).validate(cells)
    assert result.valid[
        ["row", "product_id", "territory_id", "units", "revenue"]
    ].values.tolist() == [[2, 7, 3, 4.0, 10.0]]
    assert [(r.row, r.column, r.reason) for r in result.rejections] == [
        (3, "period", "this period belongs to a released cycle and is closed"),
        (4, "period", "this month is not over yet: actuals are for ended months"),
        (4, "product", "unknown SKU"),
        (4, "units", "not a number written with a decimal point, comma for thousands"),
    ]
