"""History names people in full, and its stage filter lists every change made in that stage."""

import html

from collaboration.services import comment_add
from cycles.stages import Stage
from reconciliation.services import scenario_create


def _history(client, query: str) -> str:
    return html.unescape(client.get(f"/cycles/history/?{query}").content.decode())


def test_the_stage_filter_lists_every_change_made_while_the_cycle_was_in_that_stage(
    cycle, walk, manager, client
):
    cycle = walk(cycle, Stage.DEMAND_PLANNING)
    comment_add(actor=manager, cycle_id=cycle.pk, body="Check the South promotions")
    cycle = walk(cycle, Stage.RECONCILIATION)
    scenario_create(actor=manager, cycle_id=cycle.pk, name="Saturday shift")
    client.force_login(manager)
    reconciliation = _history(client, f"cycle={cycle.pk}&stage=reconciliation")
    assert 'title="scenario.create"' in reconciliation
    assert 'title="cycle.comment"' not in reconciliation
    demand = _history(client, f"cycle={cycle.pk}&stage=demand_planning")
    assert 'title="cycle.comment"' in demand and 'title="scenario.create"' not in demand
    everything = _history(client, "stage=reconciliation")  # without a cycle chosen too
    assert 'title="scenario.create"' in everything


def test_history_names_people_in_full_and_filters_by_them(cycle, walk, manager, client):
    manager.first_name, manager.last_name = "Maria", "Manager-Longname"
    manager.save()
    walk(cycle, Stage.DEMAND_PLANNING)
    client.force_login(manager)
    page = _history(client, f"cycle={cycle.pk}")
    assert f'<span title="{manager.username}">Maria Manager-Longname</span>' in page
    assert f'<option value="{manager.username}" >Maria Manager-Longname</option>' in page
    chosen = _history(client, f"cycle={cycle.pk}&user={manager.username}")
    assert f'<option value="{manager.username}" selected>Maria Manager-Longname</option>' in chosen
