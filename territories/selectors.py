"""Reads of the territory hierarchy."""

from django.db.models import Count, Prefetch, QuerySet

from territories.models import Region, RepAssignment, SalesRep, Territory, TerritoryAssignment


def regions_with_territories() -> QuerySet[Region]:
    """Regions with their territories, each with today's planner assignments
    (`current_assignments`): ended and future ones are history, not the team."""
    today = TerritoryAssignment.objects.current().select_related("user")
    return Region.objects.prefetch_related(
        "territories",
        Prefetch(
            "territories__territoryassignment_set", queryset=today, to_attr="current_assignments"
        ),
    ).annotate(territory_count=Count("territories"))


def active_territories() -> QuerySet[Territory]:
    return Territory.objects.filter(is_active=True).select_related("region")


def territories_planned_by(user) -> QuerySet[Territory]:
    """The territories this user plans today (ended and future assignments are history)."""
    ids = TerritoryAssignment.objects.current().filter(user=user).values("territory_id")
    return Territory.objects.filter(pk__in=ids).select_related("region")


def planners_today() -> dict[int, list]:
    """Each territory's planners by today's assignments (ended and future ones are
    history): who is asked to act for it."""
    found: dict[int, list] = {}
    for row in TerritoryAssignment.objects.current().select_related("user").order_by("pk"):
        found.setdefault(row.territory_id, []).append(row.user)
    return found


def sales_reps_with_history() -> QuerySet[SalesRep]:
    """Every sales rep with their assignments, oldest first."""
    rows = RepAssignment.objects.select_related("territory").order_by("valid_from")
    return SalesRep.objects.select_related("user").prefetch_related(
        Prefetch("assignments", queryset=rows)
    )


def planner_assignments() -> QuerySet[TerritoryAssignment]:
    """Every planner assignment, past, present and future, by planner and start."""
    return TerritoryAssignment.objects.select_related("user", "territory").order_by(
        "user__username", "valid_from", "pk"
    )


def reps_in(territory_id: int, day) -> QuerySet[SalesRep]:
    """The reps selling in a territory on a day."""
    rows = RepAssignment.objects.on(day).filter(territory_id=territory_id).values("rep_id")
    return SalesRep.objects.filter(pk__in=rows)


def rep_territories_on(day) -> dict[str, int]:
    """Each rep's territory on a day, by their e-mail in lower case; a rep selling in
    several territories that day is left out (their deals need a rule to say which)."""
    found: dict[str, set[int]] = {}
    for email, territory_id in RepAssignment.objects.on(day).values_list(
        "rep__email", "territory_id"
    ):
        found.setdefault(email.lower(), set()).add(territory_id)
    return {email: ids.pop() for email, ids in found.items() if len(ids) == 1}
