"""The history page reads as words: actions as phrases, before/after as "key value" text.

The CSV export stays machine-readable: codes and JSON.
"""

import csv
import io
import json

import pytest

from audit.services import audit_record
from audit.wording import action_words, values_text

pytestmark = pytest.mark.django_db


def test_recorded_values_read_as_text():
    assert values_text({"month": "2026-10", "overrides": 12}) == "month 2026-10, overrides 12"
    assert values_text({"stage": "demand_planning", "due": None}) == "stage demand planning, due —"
    assert values_text({"holidays": ["2026-12-25", "2026-12-26"], "is_active": True}) == (
        "holidays 2026-12-25 / 2026-12-26, is active yes"
    )
    assert values_text(None) == ""


def test_every_action_reads_as_a_phrase():
    assert action_words("demo.history") == "loaded a past cycle of the demo company"
    assert action_words("cycle.advance") == "moved the cycle on"
    assert action_words("upload.actuals.commit") == "imported actuals from a file"
    assert action_words("prices.upload") == "uploaded prices"
    assert action_words("brand_new.thing_done") == "brand new thing done"


def test_the_history_page_shows_words_not_python_values(client, manager, cycle):
    audit_record(
        actor=None,
        action="demo.history",
        obj=cycle,
        after={"month": "2026-10", "overrides": 12},
        cycle_id=cycle.pk,
    )
    client.force_login(manager)
    body = client.get(f"/cycles/history/?cycle={cycle.pk}").content.decode()
    assert "month 2026-10, overrides 12" in body
    assert "{&#x27;month&#x27;" not in body and "{'month'" not in body
    assert ">Loaded a past cycle of the demo company<" in body
    assert ">Opened the cycle<" in body
    assert ">demo.history<" not in body


def test_the_history_export_keeps_codes_and_json(client, manager, cycle):
    audit_record(
        actor=None, action="demo.history", obj=cycle, after={"overrides": 12}, cycle_id=cycle.pk
    )
    client.force_login(manager)
    response = client.get(f"/cycles/history/?cycle={cycle.pk}&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    demo = next(row for row in rows if row["action"] == "demo.history")
    assert json.loads(demo["after"]) == {"overrides": 12}
