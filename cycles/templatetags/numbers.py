"""{{ value|units }}: a figure as a whole number with thousands separators (cycles.numbers).

{{ share|percent }}: a share (0.223) as the percentage every page shows ("22.3 %").
"""

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


@register.filter
def percent(value, places: int = 1) -> str:
    """A share as a percentage with `places` decimals ("22.3 %", "-4.0 %"); empty when none."""
    try:
        share = float(value)
    except (TypeError, ValueError):
        return ""
    if share != share or share in (float("inf"), float("-inf")):
        return ""
    return f"{share * 100:,.{int(places)}f} %"
