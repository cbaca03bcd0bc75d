"""Long free text in the sign-off PDF wraps over lines and pages (issue 13, defect 8: a
2,000-character rationale answered 500 "row ... too high ... single page" for a locked cycle)."""

import re

import pytest

from reconciliation import services
from reconciliation.pack_pdf import pack_pdf
from tests.factories import mark_released
from tests.fixtures.reconciliation import download, pdf_words

pytestmark = pytest.mark.django_db


def words(count: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i:04d}" for i in range(count))


def pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", content))


def decide(cycle, company, finance, decision: str, rationale: str, impact: str = "x"):
    services.gap_decide(
        actor=finance,
        cycle_id=cycle.pk,
        gap_key=f"shortage:{company.families[0].pk}:2027-01",
        decision=decision,
        owner_id=finance.pk,
        rationale=rationale,
        expected_impact=impact,
    )


def test_a_locked_cycles_pdf_shows_a_long_rationale_whole(
    rec_cycle, company, client, finance, build_pack
):
    rationale = words(400)  # 2,399 characters
    decide(rec_cycle, company, finance, "accept", rationale, impact=words(50, "i"))
    mark_released(rec_cycle)
    build_pack(rec_cycle, finance)
    client.force_login(finance)
    content = download(client, f"/reconciliation/{rec_cycle.pk}/pack.pdf")
    assert content.startswith(b"%PDF")
    text = pdf_words(content)
    assert f"Reason: {rationale}" in text
    assert f"Expected impact: {words(50, 'i')}" in text


def test_an_escalation_longer_than_a_page_flows_onto_the_next(rec_cycle, company, finance):
    rationale = words(4000)  # about 24,000 characters
    decide(rec_cycle, company, finance, "escalate", rationale)
    content = pack_pdf(rec_cycle)
    assert pages(content) > 2  # the decision and the open escalation, each over pages
    assert pdf_words(content).count(f"Reason: {rationale}") == 2
