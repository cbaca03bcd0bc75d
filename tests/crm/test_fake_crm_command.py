"""`manage.py fake_crm` serves deals of the company in the database until stopped."""

import io

import pytest
from django.core.management import call_command

from crm.management.commands import fake_crm

pytestmark = pytest.mark.django_db


def test_the_command_says_where_the_fake_crm_answers_and_stops_on_ctrl_c(company, monkeypatch):
    def stop(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(fake_crm.time, "sleep", stop)
    out = io.StringIO()
    call_command("fake_crm", port=0, deals=12, stdout=out)
    words = out.getvalue()
    assert "Fake Zendesk Sell on http://127.0.0.1:" in words
    assert "with 12 deals; token: fake-token" in words
