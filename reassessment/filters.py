"""The lag / level / months filters of the pages and the API, read the same way."""

from collections.abc import Mapping

from reassessment.models import Level


def _number(params: Mapping, name: str, default: int, top: int) -> int:
    value = str(params.get(name, ""))
    return min(int(value), top) if value.isdigit() else default


def score_filters(params: Mapping) -> dict:
    """lag 0..11 (default 1), months 1..120 (default 12), level (default company)."""
    level = params.get("level", Level.COMPANY)
    return {
        "lag": _number(params, "lag", 1, 11),
        "months": max(_number(params, "months", 12, 120), 1),
        "level": level if level in Level.values else Level.COMPANY,
    }
