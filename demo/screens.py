"""What `bin/screens` needs in its own throwaway demo database before it takes the screenshots.

The demo's cycles with a whole plan (demand, supply, budget, decided gaps) are the
released ones, so the screenshots show the latest released cycle. The scenario
compare needs scenarios, which the demo has none of and which the services rightly
refuse on a released cycle: two illustrative ones are written here directly, in the
screens database only (bin/screens runs on its own embedded SQLite database under
var/screens, never yours). PostgreSQL refuses them (its triggers lock everything of a
released cycle): there the scenario picture shows the page without scenarios.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from cycles.calendar import add_months
from cycles.models import Cycle
from products.models import ProductFamily
from reconciliation.models import PackBuild, Scenario, ScenarioChange

SCENARIOS = {  # name -> (kind, percent, first and last month offset from the cycle month)
    "Retailer deal: demand +8% in Q1": (ScenarioChange.Kind.DEMAND, Decimal(8), 1, 3),
    "Plant shutdown: capacity -15% for 2 months": (
        ScenarioChange.Kind.CAPACITY,
        Decimal(-15),
        2,
        3,
    ),
}


def screens_prepare(out: Path) -> dict:
    """Write the ids the screenshot script opens to `out` (JSON) and return them."""
    cycle = Cycle.objects.filter(status=Cycle.Status.RELEASED).order_by("-month").first()
    if cycle is None:
        raise SystemExit("No released cycle in this database: run `manage.py seed_demo` first.")
    plan = {
        "cycle": cycle.pk,
        "month": f"{cycle.month:%Y-%m}",
        "scenarios": _scenarios(cycle),
        "pack": _pack_built(cycle),
    }
    out.write_text(json.dumps(plan, indent=2))
    return plan


def _pack_built(cycle: Cycle) -> int:
    """The released plan's pack, built here: no worker runs while the pictures are taken, and
    the pack's PDF is served only once a build of it is ready."""
    from reconciliation.pack_services import pack_build, pack_request

    owner = get_user_model().objects.get(pk=cycle.owner_id)
    build = pack_request(actor=owner, cycle_id=cycle.pk)
    if build.status != PackBuild.Status.DONE:
        build = pack_build(build_id=build.pk)
    return build.pk


def _scenarios(cycle: Cycle) -> list[int]:
    try:
        with transaction.atomic():
            return _scenarios_written(cycle)
    except IntegrityError as error:  # PostgreSQL: a released cycle is locked
        print(f"No illustrative scenarios: {str(error).splitlines()[0]}")
        return []


def _scenarios_written(cycle: Cycle) -> list[int]:
    owner = get_user_model().objects.get(pk=cycle.owner_id)
    family = ProductFamily.objects.order_by("name").first()
    ids = []
    for name, (kind, percent, first, last) in SCENARIOS.items():
        scenario, created = Scenario.objects.get_or_create(
            cycle=cycle, name=name, defaults={"created_by": owner}
        )
        if created:
            ScenarioChange.objects.create(
                scenario=scenario, kind=kind, family=family, percent=percent,
                month_from=_month(cycle.month, first), month_to=_month(cycle.month, last),
            )  # fmt: skip
        ids.append(scenario.pk)
    return ids


def _month(start: date, offset: int) -> date:
    return add_months(start, offset)
