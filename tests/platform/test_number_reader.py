"""One number reader: a figure is read exactly as its file's convention means it, or refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sop_planner.numbers import NotANumber, read_number
from tests.fixtures.numbers import COMMA, POINT, written

numbers = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)


@given(numbers, st.sampled_from([POINT, COMMA]), st.booleans())
def test_a_number_written_in_the_files_convention_reads_back_exactly(number, convention, grouped):
    assert read_number(written(number, convention, grouped), convention) == number


@given(numbers, st.sampled_from([POINT, COMMA]), st.booleans())
def test_a_number_read_in_the_other_convention_is_refused_unless_the_text_is_ambiguous(
    number, convention, grouped
):
    text = written(number, convention, grouped)
    other = COMMA if convention is POINT else POINT
    try:
        read = read_number(text, other)
    except NotANumber:
        return
    marks = [c for c in text if c in ".,"]
    # Only one mark followed by exactly three digits (1,234 or 1.234) fits both readings.
    assert len(set(marks)) <= 1, (text, read)
    assert all(len(group) == 3 for group in text.lstrip("-").replace(",", ".").split(".")[1:])


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("1.234", COMMA, Decimal("1234")),
        ("1.234,5", COMMA, Decimal("1234.5")),
        ("1 234,5", COMMA, Decimal("1234.5")),
        ("16,543", POINT, Decimal("16543")),
        ("1,250", POINT, Decimal("1250")),
        ("1.234", POINT, Decimal("1.234")),
        ("1.5E+06", POINT, Decimal("1500000")),
    ],
)
def test_figures_read_as_the_file_means_them(text, convention, expected):
    assert read_number(text, convention) == expected


@pytest.mark.parametrize(
    ("text", "convention"),
    [("2400,50", POINT), ("1,5", POINT), ("32,30", POINT), ("1.5", COMMA), ("12abc", POINT)],
)
def test_a_figure_that_does_not_fit_the_files_convention_is_refused_naming_it(text, convention):
    with pytest.raises(NotANumber, match=f"written with a {convention.value}"):
        read_number(text, convention)
