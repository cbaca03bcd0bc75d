"""Plain helpers of forecast runs: chunking, series ids and the accuracy summary. No Django."""

import itertools
import math
from collections import Counter
from statistics import median

Series = tuple[int, int]  # (product_id, territory_id)
WORST = 10
MASE_BUCKETS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def chunked(series: list[Series], size: int) -> list[list[Series]]:
    """Consecutive slices of the sorted series list; the last may be shorter."""
    ordered = sorted(series)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def series_id(product_id: int, territory_id: int) -> str:
    return f"{product_id}:{territory_id}"


def parse_series_id(uid: str) -> Series:
    product, territory = uid.split(":")
    return int(product), int(territory)


def summarize(rows: list[dict]) -> dict:
    """Method and class mix, MASE distribution, and the worst series by error and by bias.

    rows: dicts with series, method, demand_class, mase, wape, bias.
    """
    scored = [r for r in rows if _finite(r.get("mase"))]
    biased = [r for r in rows if _finite(r.get("bias"))]
    mases = sorted(r["mase"] for r in scored)
    return {
        "series": len(rows),
        "methods": dict(Counter(r["method"] for r in rows).most_common()),
        "classes": dict(Counter(r["demand_class"] for r in rows).most_common()),
        "mase": _distribution(mases),
        "mase_buckets": _buckets(mases),
        "wape_median": _round(median(r["wape"] for r in rows if _finite(r.get("wape"))))
        if any(_finite(r.get("wape")) for r in rows)
        else None,
        "bias_median": _round(median(r["bias"] for r in biased)) if biased else None,
        "worst_by_error": _top(scored, key=lambda r: r["mase"]),
        "worst_by_bias": _top(biased, key=lambda r: abs(r["bias"])),
    }


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _distribution(values: list[float]) -> dict:
    if not values:
        return {}
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return {
        "p10": _round(pick(0.1)),
        "p50": _round(pick(0.5)),
        "p90": _round(pick(0.9)),
        "mean": _round(sum(values) / len(values)),
    }


def _buckets(values: list[float]) -> list[dict]:
    edges = (0.0, *MASE_BUCKETS, math.inf)
    return [
        {
            "label": f"{low:g}-{high:g}" if high != math.inf else f"{low:g}+",
            "count": sum(low <= v < high for v in values),
        }
        for low, high in itertools.pairwise(edges)
    ]


def _top(rows: list[dict], *, key) -> list[dict]:
    fields = (
        "series",
        "product_id",
        "territory_id",
        "method",
        "demand_class",
        "mase",
        "wape",
        "bias",
    )
    ranked = sorted(rows, key=lambda r: (-key(r), r["series"]))[:WORST]
    return [{f: r.get(f) for f in fields} for r in ranked]


def level_accuracy(record: dict) -> dict:
    """The run's reconciliation record as a table: one row per method tried (the chosen
    one first), one MASE / WAPE cell per level of the hierarchy."""
    if not record.get("scores"):
        return {}
    levels = record.get("levels") or list(next(iter(record["scores"].values())))
    ordered = sorted(record["scores"], key=lambda m: m != record["method"])
    rows = [
        {
            "method": method,
            "chosen": method == record["method"],
            "cells": [record["scores"][method].get(level, {}) for level in levels],
        }
        for method in ordered
    ]
    return {"levels": levels, "rows": rows, "reason": record.get("reason", "")}
