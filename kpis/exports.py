"""A KPI's trend as CSV, cells neutralised so Excel runs no formula."""

from kpis.selectors import Tile
from sop_planner.spreadsheet import csv_text

HEADER = ["period", "kpi", "value", "unit", "target", "status"]


def tile_csv(tile: Tile) -> str:
    rows = [
        [
            point.label,
            tile.kpi.label,
            "" if point.value is None else round(point.value, 2),
            tile.kpi.unit,
            tile.target_text,
            status.value,
        ]
        for point, status in tile.point_statuses()
    ]
    return csv_text(HEADER, rows)
