"""A KPI's CSV: the chart's figures, and no cell Excel would run as a formula."""

from kpis.catalogue import Direction, Kpi
from kpis.exports import tile_csv
from kpis.selectors import Point, Tile


def test_the_csv_holds_each_point_with_its_status_and_numbers_stay_numbers():
    kpi = Kpi("x", '=HYPERLINK("http://evil")', "%", Direction.HIGHER, 0.0, "")
    tile = Tile(kpi, -2.0, [Point("2026-04", -3.25), Point("2026-05", None)])
    lines = tile_csv(tile).splitlines()
    assert lines[0] == "period,kpi,value,unit,target,status"
    assert lines[1] == '2026-04,"\'=HYPERLINK(""http://evil"")",-3.25,%,at least -2 %,off_target'
    assert lines[2].endswith(",,%,at least -2 %,no_data")
