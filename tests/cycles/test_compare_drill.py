"""Version compare by family x region x month, drilled down to SKUs, filtered, with totals and
the whole difference as a streamed CSV (issue 14, "Version compare")."""

import csv
import io
import re
from decimal import Decimal

import pytest

from tests.fixtures.compare import NOV, change

pytestmark = pytest.mark.django_db


def _list(body: str, table_id: str, part: str = "tbody") -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', body, re.S).group(0)
    section = table.split(f"<{part}>")[1].split(f"</{part}>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)
    ]


def _rows(body: str, table_id: str, part: str = "tbody") -> dict[str, list[str]]:
    """The table's rows by their first cell."""
    return {row[0]: row[1:] for row in _list(body, table_id, part)}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def _page(client, cycle, query: str = "") -> str:
    return client.get(f"/cycles/{cycle.pk}/compare/?a=1&b=now{query}").content.decode()


def test_the_grid_shows_each_family_and_region_month_by_month_with_totals(
    compared, company, client, manager
):
    client.force_login(manager)
    body = _page(client, compared)
    f0, f1 = (f.name for f in company.families)
    r0, r1 = (r.name for r in company.regions)
    grid = _rows(body, "difference-grid")
    # Nov Dec Jan Feb ... Oct, then the total over the horizon
    assert grid[f"{f0} · {r0}"][:4] + grid[f"{f0} · {r0}"][-1:] == [
        "2.50",
        "20",
        "0",
        "0",
        "22.50",
    ]
    assert grid[f"{f0} · {r1}"][:3] + grid[f"{f0} · {r1}"][-1:] == ["0", "0", "1", "1"]
    assert grid[f"{f1} · {r1}"][:4] + grid[f"{f1} · {r1}"][-1:] == ["-10", "0", "0", "8", "-2"]
    assert f"{f1} · {r0}" not in grid  # unchanged rows are hidden unless asked for
    totals = _rows(body, "difference-grid", "tfoot")
    assert totals["Change"][:4] + totals["Change"][-1:] == ["-7.50", "20", "1", "8", "21.50"]
    # the rows shown: 9 cells of 3 months x 10 under each of 3 family x region rows
    assert (totals["Before"][-1], totals["After"][-1]) == ("540", "561.50")
    everything = _page(client, compared, "&changed=0")
    assert _rows(everything, "difference-grid")[f"{f1} · {r0}"][-1] == "0"
    totals = _rows(everything, "difference-grid", "tfoot")
    assert (totals["Before"][-1], totals["After"][-1]) == ("720", "741.50")


def test_drilling_down_shows_the_skus_whose_changes_add_up_to_the_row(
    compared, company, client, manager
):
    client.force_login(manager)
    body = _page(client, compared)
    grid = _rows(body, "difference-grid")
    links = re.findall(r'<a href="(\?a=1&amp;b=now&amp;measure=consensus&amp;family=\d+&amp;region=\d+)">([^<]+)</a>', body)  # fmt: skip
    assert {name for _, name in links} == set(grid)
    for link, name in links:
        drilled = _page(client, compared, "&" + link.replace("&amp;", "&").split("now&", 1)[1])
        skus = _rows(drilled, "sku-grid")
        assert skus, name
        for month in range(13):  # twelve months and the total
            assert sum(_number(row[month]) for row in skus.values()) == _number(grid[name][month])
    f0, r0 = company.families[0], company.regions[0]
    drilled = _page(client, compared, f"&measure=consensus&family={f0.pk}&region={r0.pk}")
    skus = _rows(drilled, "sku-grid")
    p = company.products
    assert skus[f"{p[0].sku} {p[0].name}"][:2] == ["5", "0"]
    assert skus[f"{p[2].sku} {p[2].name}"][:2] == ["-2.50", "0"]
    assert skus[f"{p[4].sku} {p[4].name}"][:2] == ["0", "20"]
    figures = _list(drilled, "changes")  # the figures of that family and region only
    assert {row[3] for row in figures} == {p[0].sku, p[2].sku, p[4].sku}


def test_filters_narrow_the_grid_and_the_figures(compared, company, client, manager):
    client.force_login(manager)
    r1 = company.regions[1]
    body = _page(client, compared, f"&region={r1.pk}&month=2026-11")
    grid = _rows(body, "difference-grid")
    assert list(grid) == [f"{company.families[1].name} · {r1.name}"]  # f0 r1 changed in Jan only
    assert grid[f"{company.families[1].name} · {r1.name}"] == ["-10", "-10"]  # Nov, total
    assert "1 changed figure" in body
    capacity = _page(client, compared, "&measure=capacity")
    assert "Capacity: change by family and region" in capacity
    assert _rows(capacity, "difference-grid", "tfoot")["Change"][-1] == "20"


def test_a_filter_that_names_nothing_is_ignored_with_a_note(compared, client, manager):
    client.force_login(manager)
    body = _page(client, compared, "&family=999&month=2031-01")
    assert "Ignored family “999”: there is no such family." in body
    assert "Ignored month “2031-01”: not a month of S&amp;OP 2026-11" in body
    assert "7 changed figures" in body


def test_the_csv_holds_the_whole_difference_and_its_changes_add_up(
    compared, company, client, manager
):
    client.force_login(manager)
    response = client.get(f"/cycles/{compared.pk}/compare.csv?a=1&b=now")
    assert response.status_code == 200 and response.streaming
    assert 'filename="plan-2026-11-changes-1-to-now.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    by_measure: dict[str, Decimal] = {}
    for row in rows:
        after, before = _number(row["after"]), _number(row["before"])
        assert _number(row["change"]) == after - before
        by_measure[row["measure"]] = by_measure.get(row["measure"], Decimal(0)) + after - before
    assert by_measure == {"Capacity": 20, "Consensus demand": Decimal("21.5")}
    new = next(r for r in rows if r["month"] == "2027-02")
    assert (new["family"], new["region"], new["sku"], new["before"], new["after"]) == (
        company.families[1].name, company.regions[1].name, company.products[5].sku, "", "8.0000",
    )  # fmt: skip
    f0 = company.families[0]
    only = client.get(f"/cycles/{compared.pk}/compare.csv?a=1&b=now&family={f0.pk}")
    assert len(list(csv.DictReader(io.StringIO(b"".join(only.streaming_content).decode())))) == 5


def test_a_measure_that_does_not_add_up_is_listed_figure_by_figure_only(
    compared, company, client, manager
):
    change(compared, "target_weeks", company.products[0], company.territories[0], NOV, 3)
    client.force_login(manager)
    body = _page(client, compared, "&measure=target_weeks")
    assert 'id="difference-grid"' not in body and 'id="no-grid"' in body
    assert [row[0] for row in _list(body, "changes")] == ["Inventory target, weeks of cover"]
