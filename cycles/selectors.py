"""Reads of the cycles app."""

from cycles.models import Cycle


def current_cycle() -> Cycle | None:
    """The newest open cycle, if any."""
    return Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("owner").first()
