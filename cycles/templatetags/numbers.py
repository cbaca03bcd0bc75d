"""{{ value|units }}: a figure as a whole number with thousands separators (cycles.numbers)."""

from django import template

from cycles.numbers import whole

register = template.Library()


@register.filter
def units(value) -> str:
    """The figure in whole units; empty when there is none, so `|default:` can show a dash."""
    try:
        return whole(value)
    except (ArithmeticError, TypeError, ValueError):
        return ""
