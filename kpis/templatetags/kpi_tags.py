from django import template

from kpis.catalogue import KPIS, Direction, Kpi

register = template.Library()

DIRECTION_TEXT = {
    Direction.HIGHER: "at or above the threshold",
    Direction.LOWER: "at or below the threshold",
    Direction.NEAR_ZERO: "within ± the threshold of zero",
}


@register.filter
def kpi(code: str) -> Kpi | None:
    return KPIS.get(code)


@register.filter
def direction_text(direction: Direction) -> str:
    return DIRECTION_TEXT[direction]


@register.filter
def figure(value) -> str:
    """A KPI figure for people: one decimal, a dash when there is none."""
    return f"{value:,.1f}" if isinstance(value, (int, float)) else "\u2013"
