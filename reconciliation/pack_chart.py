"""Where a line chart's points go on a page: a rounded axis and the points of each series.

Plain Python: the PDF pack draws with it (fpdf lines), and a test checks the geometry.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    top: float  # the axis runs from 0 (or `bottom`) to here
    ticks: list[float]
    bottom: float = 0.0

    def share(self, value: float) -> float:
        """Where a value sits between the bottom (0.0) and the top (1.0) of the axis."""
        span = self.top - self.bottom
        return (value - self.bottom) / span if span else 0.0


def nice_axis(values: list[float | None], *, steps: int = 5) -> Axis:
    """An axis from 0 (or below, for negative figures) to a round number above the largest."""
    known = [v for v in values if v is not None]
    high, low = max(known, default=0.0), min(known, default=0.0)
    low = min(low, 0.0)
    span = (max(high, 0.0) - low) or 1.0
    raw = span / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    bottom = math.floor(low / step) * step
    top = math.ceil(max(high, 0.0) / step) * step or step
    count = round((top - bottom) / step)
    return Axis(top=top, bottom=bottom, ticks=[bottom + i * step for i in range(count + 1)])


def line_points(
    series: list[float | None],
    *,
    axis: Axis,
    left: float,
    width: float,
    base: float,
    height: float,
) -> list[tuple[float, float] | None]:
    """Each value's (x, y) on a page whose y grows downwards; None where there is no value.

    Points sit in the middle of their month's slot, so months line up with their labels.
    """
    slot = width / max(len(series), 1)
    return [
        None if value is None else (left + slot * (i + 0.5), base - height * axis.share(value))
        for i, value in enumerate(series)
    ]
