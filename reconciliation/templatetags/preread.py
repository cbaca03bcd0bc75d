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
        # A released cycle's coverage is the pipeline frozen at its release (none when it
        # was released before the CRM was connected), not today's deals.
        **coverage_context(cycle),
    }
