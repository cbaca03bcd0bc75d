"""CRM deals from a Zendesk Sell export come in through the same upload, preview, commit and
revert, read with the saved column mapping "Zendesk Sell export"."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.roles import Role
from crm.deal_upload import EXPORT_MAPPING_NAME, KIND, ZENDESK_EXPORT_COLUMNS
from crm.models import CrmStage, Deal
from tests.fixtures.uploads import committed, reverted
from uploads.models import UploadBatch
from uploads.services import mapping_save

pytestmark = pytest.mark.django_db

HEADER = ["ID", "Name", "Stage", "Value", "Currency", "Updated At", "Organization Region", "Tags"]


@pytest.fixture
def admin(users_by_role):
    user = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    CrmStage.objects.create(
        source="zendesk_sell", external_id="2", name="Qualified", likelihood=30
    )
    mapping_save(actor=user, name=EXPORT_MAPPING_NAME, kind=KIND, columns=ZENDESK_EXPORT_COLUMNS)
    return user


def _rows(company) -> list[list[str]]:
    north, family = company.territories[0].name, company.families[0].code
    return [
        HEADER,
        ["501", "Spring order", "Qualified", "1,200.50", "EUR", "2027-01-10T08:00:00Z", north, family],
        ["502", "Credit note", "Qualified", "-5", "EUR", "2027-01-10T08:00:00Z", north, ""],
        ["503", "Mystery", "Haggling", "10", "EUR", "2027-01-10T08:00:00Z", north, ""],
    ]  # fmt: skip


def _csv(rows) -> bytes:
    return "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode()


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _send(upload, admin, content: bytes, name: str) -> UploadBatch:
    return upload(admin, content, name=name, kind=KIND, mapping_name=EXPORT_MAPPING_NAME)


@pytest.mark.parametrize(("make", "name"), [(_csv, "deals.csv"), (_xlsx, "deals.xlsx")])
def test_an_export_previews_commits_and_reverts_with_bad_rows_refused_in_words(
    upload, admin, company, make, name
):
    batch = _send(upload, admin, make(_rows(company)), name)
    assert batch.status == UploadBatch.Status.PREVIEWED, batch.error
    assert (batch.new_count, batch.rejected_count) == (1, 2)
    reasons = {r.column: r.reason for r in batch.rejections.all()}
    assert reasons["value"] == "deal 502: value -5 is negative"
    assert reasons["stage"] == "unknown stage 'Haggling' (the CRM's stages: qualified)"
    assert not Deal.objects.exists()

    committed(actor=admin, batch_id=batch.pk, accept_partial=True)
    deal = Deal.objects.get(external_id="501")
    assert (deal.value, deal.territory, deal.family) == (
        Decimal("1200.50"),
        company.territories[0],
        company.families[0],
    )
    assert deal.upload_id == batch.pk

    again = _send(upload, admin, make(_rows(company)), name)
    assert (again.new_count, again.changed_count, again.unchanged_count) == (0, 0, 1)

    reverted(actor=admin, batch_id=batch.pk, reason="wrong file")
    assert not Deal.objects.exists()


def test_a_changed_deal_is_reverted_to_what_it_was(upload, admin, company):
    rows = _rows(company)[:2]
    committed(actor=admin, batch_id=_send(upload, admin, _csv(rows), "a.csv").pk)
    rows[1][3] = "1500"
    fix = _send(upload, admin, _csv(rows), "b.csv")
    assert (fix.new_count, fix.changed_count) == (0, 1)
    committed(actor=admin, batch_id=fix.pk)
    assert Deal.objects.get(external_id="501").value == Decimal("1500")
    reverted(actor=admin, batch_id=fix.pk)
    assert Deal.objects.get(external_id="501").value == Decimal("1200.50")


def test_the_upload_page_offers_the_kind_to_those_who_may_sync_the_crm(client, users_by_role):
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    assert "CRM deals (Zendesk Sell export)" in client.get("/uploads/").content.decode()
    client.force_login(users_by_role[Role.FINANCE])
    assert "CRM deals (Zendesk Sell export)" not in client.get("/uploads/").content.decode()
