"""The upload page and the imports API call the same services; every role sees what it may."""

import html
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from forecasting.models import SalesActual
from tests.fixtures.uploads import LAST, actuals_csv, work_off
from uploads.models import ColumnMapping, UploadBatch

pytestmark = pytest.mark.django_db

MAY_UPLOAD_ACTUALS = {
    Role.SALES_OPS_ANALYST,
    Role.SALES_OPS_MANAGER,
    Role.DEMAND_PLANNER,
}


def _file(content: bytes, name: str = "actuals.csv"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def _api_upload(client, **data) -> dict:
    """POST a file: answered at once, queued and unread; the batch once the worker read it."""
    response = client.post("/api/imports/", data)
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["rows_read"]) == ("queued", 0)
    work_off()
    return client.get(f"/api/imports/{response.json()['id']}/").json()


def _api_commit(client, batch_id: int) -> dict:
    """POST a commit: answered at once, queued; the batch once the worker wrote it."""
    response = client.post(f"/api/imports/{batch_id}/commit", {}, "application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "commit_queued"
    work_off()
    return client.get(f"/api/imports/{batch_id}/").json()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_api_upload_of_actuals_follows_the_permission_table(client, users_by_role, company, role):
    client.force_login(users_by_role[role])
    content = actuals_csv(company, [(LAST, 0, 0, 5)])  # territory 0: the planner's own
    if role in MAY_UPLOAD_ACTUALS:
        assert _api_upload(client, file=_file(content), kind="actuals")["new_count"] == 1
    else:
        response = client.post("/api/imports/", {"file": _file(content), "kind": "actuals"})
        assert response.status_code == 403
        assert not UploadBatch.objects.exists()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_upload_page_follows_the_permission_table(client, users_by_role, company, role):
    client.force_login(users_by_role[role])
    content = actuals_csv(company, [(LAST, 0, 0, 5)])
    response = client.post(reverse("uploads:page"), {"file": _file(content), "kind": "actuals"})
    if role in MAY_UPLOAD_ACTUALS:
        assert response.status_code == 302
    elif role in (
        Role.TECHNICAL_OPERATIONS_ADVISOR,
        Role.SALES_PLANNING_SPECIALIST,
        Role.FINANCE,
        Role.SUPPLY_PLANNER,
    ):
        # may upload master data, budgets or supply inputs, not actuals
        assert response.status_code == 400
        assert (
            "may not upload sales actuals; Sales Ops Manager, Sales Ops Analyst, Demand Planner may."
            in html.unescape(response.content.decode())
        )
    else:
        assert response.status_code == 403
    assert SalesActual.objects.count() == 0


def test_planner_rows_outside_their_territories_are_rejected(client, users_by_role, company):
    client.force_login(users_by_role[Role.DEMAND_PLANNER])
    content = actuals_csv(company, [(LAST, 0, 0, 5), (LAST, 0, 1, 5)])
    body = _api_upload(client, file=_file(content))
    assert body["rejected_count"] == 1
    assert body["rejections"] == [
        {
            "row_number": 3,
            "column": "territory",
            "value": company.territories[1].code,
            "reason": "you do not plan this territory",
        }
    ]


def test_api_preview_commit_revert_and_history(client, users_by_role, company):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    batch_id = _api_upload(client, file=_file(actuals_csv(company, [(LAST, 0, 0, 5)])))["id"]
    assert _api_commit(client, batch_id)["status"] == "committed"
    assert SalesActual.objects.count() == 1
    again = client.post(f"/api/imports/{batch_id}/commit", {}, content_type="application/json")
    assert again.status_code == 409
    reverted = client.post(
        f"/api/imports/{batch_id}/revert", {"reason": "test"}, content_type="application/json"
    )
    assert reverted.json()["status"] == "revert_queued"  # answered at once: a worker reverts
    assert reverted.json()["revert_reason"] == "test" and SalesActual.objects.count() == 1
    work_off()
    detail = client.get(f"/api/imports/{batch_id}/").json()
    assert detail["status"] == "reverted" and SalesActual.objects.count() == 0
    history = client.get("/api/imports/").json()
    assert [row["id"] for row in history["results"]] == [batch_id]


def test_api_upload_lacking_columns_waits_for_a_mapping_naming_them(
    client, users_by_role, company
):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    content = b"month,sku,territory,qty\n" + f"{LAST},X,Y,1".encode()
    waiting = _api_upload(client, file=_file(content))
    assert waiting["status"] == "needs_mapping"
    assert "lacks the column(s) period, product, units" in waiting["error"]
    mapped = _api_upload(
        client,
        file=_file(content),
        mapping=json.dumps({"Month": "period", "SKU": "product", "Qty": "units"}),
    )
    assert mapped["rejections"][0]["reason"] == "unknown SKU"


def test_page_maps_columns_once_and_saves_the_mapping_by_name(client, users_by_role, company):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    product, territory = company.products[0].sku, company.territories[0].code
    content = f"Month;Item;Region Code;Sold Qty\n{LAST};{product};{territory};4,5\n".encode()
    response = client.post(reverse("uploads:page"), {"file": _file(content), "kind": "actuals"})
    work_off()
    batch = UploadBatch.objects.get()
    assert batch.status == UploadBatch.Status.NEEDS_MAPPING
    page = client.get(response.url).content.decode()
    assert "Map the columns of this file" in page and "Sold Qty" in page
    assert '<option value="period" selected>' not in page  # "Month" is no known name
    client.post(
        reverse("uploads:map", args=[batch.pk]),
        {
            "headers": ["Month", "Item", "Region Code", "Sold Qty"],
            "map-0": "period",
            "map-1": "product",
            "map-2": "territory",
            "map-3": "units",
            "save_as": "Zendesk Sell export",
        },
    )
    work_off()
    batch.refresh_from_db()
    assert (batch.status, batch.new_count) == (UploadBatch.Status.PREVIEWED, 1)
    assert ColumnMapping.objects.get().name == "Zendesk Sell export"
    second = client.post(
        reverse("uploads:page"),
        {"file": _file(content), "kind": "actuals", "mapping_name": "Zendesk Sell export"},
    )
    work_off()
    assert UploadBatch.objects.get(pk=second.url.split("/")[-2]).new_count == 1


def test_rejected_rows_download_is_safe_to_open_in_excel(client, users_by_role, company):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    content = actuals_csv(company, [(LAST, 0, 0, "=HYPERLINK(1)"), (LAST, 1, 0, "-3")])
    client.post(reverse("uploads:page"), {"file": _file(content), "kind": "actuals"})
    work_off()
    batch = UploadBatch.objects.get()
    text = client.get(reverse("uploads:rejected", args=[batch.pk])).content.decode()
    assert "'=HYPERLINK(1)" in text
    assert ",-3," in text  # a plain negative number stays a number
    assert "units: negative units" in text


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["actuals", "products", "territories", "prices", "budgets"])
def test_templates_download(client, users_by_role, kind, extension):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    response = client.get(reverse("uploads:template", args=[kind, extension]))
    assert response.status_code == 200
    assert f"{kind}-template.{extension}" in response["Content-Disposition"]


def test_menu_shows_uploads_only_to_roles_that_may_upload(client, users_by_role):
    for role, user in users_by_role.items():
        client.force_login(user)
        menu = client.get(reverse("home")).content.decode()
        assert ("Uploads" in menu) == (
            role
            not in {
                Role.SUPPLY_PLANNER,
                Role.EXECUTIVE,
                Role.SALES_EFFECTIVENESS_MANAGER,
            }
        )


def test_commit_button_counts_the_valid_rows_it_writes(client, users_by_role, company):
    from decimal import Decimal

    from tests.fixtures.uploads import LAST_MONTH

    SalesActual.objects.create(
        product=company.products[0],
        territory=company.territories[0],
        period=LAST_MONTH,
        units=Decimal(5),
        revenue=Decimal(50),
    )
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    content = actuals_csv(
        company, [(LAST, 0, 0, "7"), (LAST, 1, 0, "3"), (LAST, 2, 0, "-3"), (LAST, 3, 0, "x")]
    )
    client.post(reverse("uploads:page"), {"file": _file(content), "kind": "actuals"})
    work_off()
    batch = UploadBatch.objects.get()
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert "Commit the 2 valid rows only (1 new, 1 changed)" in page


def test_the_preview_says_how_the_files_figures_were_read(client, users_by_role, company):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    content = actuals_csv(company, [(LAST, 0, 0, "7")]).replace(b",", b";")
    client.post(reverse("uploads:page"), {"file": _file(content), "kind": "actuals"})
    work_off()
    page = client.get(reverse("uploads:batch", args=[UploadBatch.objects.get().pk]))
    assert (
        "Figures read with a decimal comma, dot for thousands (the file's columns are separated "
        "by semicolons)." in page.content.decode().replace("&#x27;", "'")
    )


def test_finance_sees_the_budget_format_without_the_actuals_download(client, users_by_role):
    client.force_login(users_by_role[Role.FINANCE])
    page = client.get(reverse("uploads:page")).content.decode()
    assert "product family by code" in page
    assert "product by SKU" not in page
    assert reverse("uploads:export-actuals") not in page
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    page = client.get(reverse("uploads:page")).content.decode()
    assert "product by SKU" in page and reverse("uploads:export-actuals") in page


def test_upload_history_and_preview_name_the_uploader_in_full(client, users_by_role, company):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    client.force_login(analyst)
    client.post(
        reverse("uploads:page"),
        {"file": _file(actuals_csv(company, [(LAST, 0, 0, "7")])), "kind": "actuals"},
    )
    batch = UploadBatch.objects.get()
    full_name = html.escape(analyst.get_full_name())
    history = client.get(reverse("uploads:page")).content.decode()
    assert f"<td>{full_name}</td>" in history
    preview = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert f"by {full_name} on" in preview


def test_the_actuals_template_example_names_a_real_product_and_territory(
    client, users_by_role, company
):
    client.force_login(users_by_role[Role.SALES_OPS_ANALYST])
    text = client.get(reverse("uploads:template", args=["actuals", "csv"])).content.decode()
    example = text.splitlines()[1].split(",")
    skus = {product.sku for product in company.products}
    codes = {territory.code for territory in company.territories}
    assert example[1] in skus and example[2] in codes


def test_a_file_whose_every_row_is_rejected_offers_nothing_to_commit(
    company, user_with_role, upload, client
):
    """All rows rejected: the page says so, offers no "Commit the 0 valid rows", and does not
    claim that every valid row matches what is stored."""
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    content = b"period,product,territory,units\n2026-11,NO-SUCH-SKU,NOWHERE,5\n"
    batch = upload(analyst, content)
    assert batch.rejected_count == 1 and not (batch.new_count or batch.changed_count)
    client.force_login(analyst)
    page = client.get(f"/uploads/{batch.pk}/").content.decode()
    assert "Every row of this file was rejected: there is nothing to commit." in page
    assert 'id="commit-valid"' not in page and 'id="commit"' not in page
    assert "This file changes nothing" not in page


def test_the_uploads_history_pages_by_key_newest_first(company, user_with_role, upload):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    for units in range(5):
        upload(analyst, actuals_csv(company, [(LAST, 0, 0, units + 1)]))
    api = APIClient()
    api.force_authenticate(analyst)
    seen, url = [], "/api/imports/?limit=2"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
        if len(seen) == 2:  # another file arrives between two pages: newer, so not in them
            upload(analyst, actuals_csv(company, [(LAST, 1, 0, 9)]))
    everything = list(UploadBatch.objects.values_list("pk", flat=True))
    assert seen == everything[1:] and len(everything) == 6  # newest first, each once
