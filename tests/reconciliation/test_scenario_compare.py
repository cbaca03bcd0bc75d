"""A scenario's change against the base plan, by family and by month (plain Python)."""

import pytest

from reconciliation.plan_math import Figures
from reconciliation.scenario_compare import compare_rows, total_row


def figures(**cells) -> dict:
    """(family, region, month) -> Figures with only `supply` set, from "f_r_t=value"."""
    return {
        tuple(int(p) for p in key.strip("k").split("_")): Figures(supply=value)
        for key, value in cells.items()
    }


def test_change_and_percent_by_family_and_month_with_totals():
    base = figures(k1_1_0=100, k1_2_0=100, k2_1_0=50, k2_1_1=0)
    more = figures(k1_1_0=120, k1_2_0=110, k2_1_0=50, k2_1_1=10)
    by_family = compare_rows(
        base, [more], by=lambda k: k[0], names={1: "Pumps", 2: "Valves"}, measure="supply"
    )
    assert [(r.name, r.base, r.changes[0].delta) for r in by_family] == [
        ("Pumps", 200, 30),
        ("Valves", 50, 10),
    ]
    assert by_family[0].changes[0].percent == pytest.approx(15.0)
    by_month = compare_rows(base, [more], by=lambda k: k[2], names={}, measure="supply")
    assert by_month[1].base == 0 and by_month[1].changes[0].percent is None  # nothing to % of
    total = total_row(by_family)
    assert (total.base, total.changes[0].delta) == (250, 40)
    assert total.changes[0].percent == pytest.approx(16.0)


def test_an_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="Unknown measure"):
        compare_rows({}, [], by=lambda k: k[0], names={}, measure="bananas")
