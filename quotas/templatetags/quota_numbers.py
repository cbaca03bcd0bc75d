"""{{ figure|exact }}: a stored figure exactly, without trailing zeros ('1250.5', '1.05')."""

from django import template

from cycles.plan_services import plain

register = template.Library()


@register.filter
def exact(value) -> str:
    if value is None or value == "":
        return ""
    return plain(value)
