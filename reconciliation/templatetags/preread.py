"""{% signoff_preread cycle %}: the executive pre-read and its pack on the cycle's sign-off page."""

from django import template

from demand.pipeline_reads import coverage_context
from quotas.context import quota_context
from reconciliation.pack import pre_read
from reconciliation.pack_views import pack_context
from reconciliation.selectors import latest_pack

register = template.Library()


@register.inclusion_tag("reconciliation/preread.html", takes_context=True)
def signoff_preread(context, cycle) -> dict:
    pack = pack_context(cycle, latest_pack(cycle))
    return {
        "cycle": cycle,
        "csrf_token": context.get("csrf_token"),
        "pack": pack,
        **pre_read(cycle),
        **quota_context(cycle),
        # Today's CRM pipeline says nothing about a released plan: no pipeline is frozen at
        # release, so a released cycle's pre-read keeps to the figures it was released with.
        **({} if cycle.is_released else coverage_context(cycle)),
    }
