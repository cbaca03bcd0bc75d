"""The lag / level / months filters of the pages and the API, read the same way."""

from collections.abc import Mapping

from reassessment.models import Level

RANGES = {"lag": (0, 11, 1), "months": (1, 120, 12)}  # lowest, highest, default


def _number(params: Mapping, name: str) -> int | None:
    """The whole number given for `name` when it is in its range, else None."""
    value = str(params.get(name, "")).strip()
    lowest, highest, _ = RANGES[name]
    return int(value) if value.isdigit() and lowest <= int(value) <= highest else None


def score_filters(params: Mapping) -> dict:
    """lag 0..11 (default 1), months 1..120 (default 12), level (default company);
    a value outside these is ignored (ignored_filters says which)."""
    level = params.get("level", Level.COMPANY)
    numbers = {name: _number(params, name) for name in RANGES}
    return {
        **{name: RANGES[name][2] if value is None else value for name, value in numbers.items()},
        "level": level if level in Level.values else Level.COMPANY,
    }


def ignored_filters(params: Mapping) -> list[str]:
    """What score_filters set aside, in words, so a page can say it did not filter by it."""
    notes = []
    for name, (lowest, highest, _) in RANGES.items():
        value = str(params.get(name, "")).strip()
        if value and _number(params, name) is None:
            notes.append(f"Ignored {name} “{value}”: a whole number from {lowest} to {highest}.")
    level = params.get("level")
    if level and level not in Level.values:
        notes.append(f"Ignored level “{level}”: one of {', '.join(Level.values)}.")
    return notes
