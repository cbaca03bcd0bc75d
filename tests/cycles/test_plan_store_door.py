"""The plan store behind one door: `PlanValue.objects.live()` and `.as_of(seq)` are the only
ways other apps say "the current figures" or "the figures of a version"."""

import io
import re
import tokenize
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cycles import services
from cycles.measures import MeasureCode
from cycles.models import PlanValue
from cycles.plan_services import plan_value_set
from cycles.selectors import plan_values_live
from cycles.stages import Stage

ROOT = Path(__file__).resolve().parents[2]
# The current-row filter written by hand, in either spelling.
HAND_WRITTEN = re.compile(r"valid_to_seq\s*=\s*None|valid_to_seq__isnull\s*=\s*True")
SKIPPED = {".venv", "node_modules", "migrations", "tests", ".git", "cycles"}
DEC = date(2026, 12, 1)
JAN = date(2027, 1, 1)


def _sources():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED & set(path.relative_to(ROOT).parts):
            yield path


def test_no_app_but_cycles_writes_the_current_row_filter_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_WRITTEN.search(line)
    ]
    assert not found, "use PlanValue.objects.live() or .as_of(seq):\n" + "\n".join(found)


def test_the_check_finds_a_hand_written_current_row_filter():
    for line in (
        "PlanValue.objects.filter(cycle=cycle, valid_to_seq=None)",
        "    valid_to_seq = None,",
        "rows.filter(valid_to_seq__isnull=True)",
    ):
        assert HAND_WRITTEN.search(line), line
    assert not HAND_WRITTEN.search("PlanValue.objects.live().filter(cycle=cycle)")


def _override(actor, cycle, company, value, *, expected, month=DEC):
    return plan_value_set(
        actor=actor,
        cycle_id=cycle.pk,
        measure="override",
        product_id=company.products[0].pk,
        territory_id=company.territories[0].pk,
        month=month,
        value=value,
        expected_row_version=expected,
    )


@pytest.mark.django_db
def test_live_is_the_working_plan_and_as_of_is_the_plan_a_version_saw(
    cycle, walk, planners, company, manager
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    _override(planners[0], cycle, company, "100", expected=0)
    _override(planners[0], cycle, company, "10", expected=0, month=JAN)
    cycle = walk(cycle, Stage.RECONCILIATION)  # snapshot at the end of demand planning
    services.cycle_send_back(
        actor=manager, cycle_id=cycle.pk, stage=cycle.stage, to=Stage.DEMAND_PLANNING, reason="x"
    )
    cycle.refresh_from_db()
    after_demand = cycle.versions.get(stage="demand_planning").seq
    _override(planners[0], cycle, company, "150", expected=1)

    def figures(rows):
        return sorted((row.month, row.value) for row in rows.filter(cycle=cycle))

    assert figures(PlanValue.objects.live()) == [(DEC, Decimal(150)), (JAN, Decimal(10))]
    assert figures(PlanValue.objects.as_of(after_demand)) == [
        (DEC, Decimal(100)),
        (JAN, Decimal(10)),
    ]
    assert figures(PlanValue.objects.as_of(cycle.version_seq)) == figures(PlanValue.objects.live())
    assert PlanValue.objects.filter(cycle=cycle).count() == 3  # the old 100 is kept, not live


def _names_in(source: str) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.string for token in tokens if token.type == tokenize.NAME}


def test_no_app_service_but_cycles_touches_the_plan_table():
    """Services of other apps read plan figures through cycles.selectors (plan_values_live...)
    and write them through cycles' plan services, never through the PlanValue model."""
    found = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if path.name == "services.py" and "PlanValue" in _names_in(path.read_text())
    ]
    assert not found, "read through cycles.selectors, write through cycles.plan_services:\n" + (
        "\n".join(found)
    )


def test_the_service_check_sees_the_model_but_not_words_about_it():
    assert "PlanValue" in _names_in("rows = PlanValue.objects.live()\n")
    assert "PlanValue" not in _names_in('"""Never PlanValue directly."""\n# nor PlanValue\n')


@pytest.mark.django_db
def test_plan_values_live_names_the_measures_it_reads(cycle, walk, planners, company):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    _override(planners[0], cycle, company, "100", expected=0)
    overrides = plan_values_live(cycle, MeasureCode.OVERRIDE)
    assert [row.value for row in overrides] == [Decimal(100)]
    assert not plan_values_live(cycle, MeasureCode.CAPACITY).exists()
    assert plan_values_live(cycle).count() >= overrides.count()
