"""{% signoff_preread cycle %}: the executive pre-read on the cycle's sign-off page."""

from django import template

from reconciliation.pack import pre_read

register = template.Library()


@register.inclusion_tag("reconciliation/preread.html")
def signoff_preread(cycle) -> dict:
    return {"cycle": cycle, **pre_read(cycle)}
