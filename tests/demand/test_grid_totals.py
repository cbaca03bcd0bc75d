"""The grid's totals and words, without a database."""

from decimal import Decimal

from demand import grid_totals, wording

MONTHS = [f"2026-{m:02d}" for m in (11, 12)] + [f"2027-{m:02d}" for m in range(1, 11)]


def test_the_total_columns_are_the_horizon_and_each_calendar_year_it_spans():
    columns = grid_totals.total_columns(MONTHS)
    assert [(c["key"], c["label"], len(c["months"])) for c in columns] == [
        ("total", "Total", 12),
        ("y2026", "2026", 2),
        ("y2027", "2027", 10),
    ]


def test_a_horizon_inside_one_year_has_only_the_total():
    months = [f"2027-{m:02d}" for m in range(1, 13)]
    assert [c["key"] for c in grid_totals.total_columns(months)] == ["total"]


def test_row_totals_add_the_months_of_each_column():
    values = {"consensus": {m: 10.0 for m in MONTHS}, "actuals": {"2026-10": 5.0}}
    totals = grid_totals.row_totals(values, grid_totals.total_columns(MONTHS))
    assert totals == {"consensus": {"total": 120.0, "y2026": 20.0, "y2027": 100.0}}
    assert grid_totals.history_total(values) == 5.0


def test_column_sums_add_every_row():
    rows = [{"consensus": {"2026-11": 1.5}}, {"consensus": {"2026-11": 2.5, "2026-12": 1.0}}]
    assert grid_totals.sum_values(rows) == {"consensus": {"2026-11": 4.0, "2026-12": 1.0}}


def test_edits_are_told_in_words_and_whole_units():
    assert wording.edit_words(mode="set", value=Decimal("7.0000")) == "set to 7"
    assert wording.edit_words(mode="add", value=Decimal("-1250.4")) == "took off 1,250"
    assert wording.edit_words(mode="percent", value=Decimal("10.0000")) == "changed by +10%"
    note = wording.override_note(
        who="Anna East", mode="set", value=7, reason="Promotion", comment="", when="2026-12-03"
    )
    assert note == "Anna East set to 7 because of promotion (2026-12-03)"


def test_a_composition_names_the_override_and_the_events():
    words = wording.composition_words(
        baseline=1200.4,
        pre_event=1250,
        events=50,
        consensus=1300,
        event_names=[wording.event_note(kind="promotion", name="Summer deal")],
    )
    assert words == (
        "Baseline 1,200; overrides make it 1,250 (+50); events add 50 for a promotion "
        "(Summer deal); consensus 1,300."
    )
