"""The grid, the API and the Excel round trip, role by role and territory by territory."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from cycles.models import PlanValue
from tests.fixtures.demand import client_for, grid, post_override

pytestmark = pytest.mark.django_db


def test_totals_add_up_from_territory_to_region_to_company(demand_cycle, manager):
    month = f"{demand_cycle.month:%Y-%m}"
    levels = [
        grid(manager, demand_cycle, territory_level=level, product_level=products)
        for level, products in (("company", "family"), ("region", "family"), ("territory", "sku"))
    ]
    totals = [sum(r["values"]["consensus"][month] for r in level["rows"]) for level in levels]
    assert totals[0] == totals[1] == totals[2] > 0
    assert levels[2]["count"] == 24


def test_rows_are_editable_only_where_the_user_may_edit(demand_cycle, planners, manager, company):
    own = company.territories[0]
    rows = grid(planners[0], demand_cycle, territory_level="territory")["rows"]
    editable = {r["place"] for r in rows if r["editable"]}
    assert editable == {own.name}
    assert all(r["editable"] for r in grid(manager, demand_cycle)["rows"])


def test_the_grid_is_paged(demand_cycle, manager):
    page = grid(manager, demand_cycle, product_level="sku", territory_level="territory", limit=5)
    assert page["count"] == 24 and len(page["rows"]) == 5


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.SALES_OPS_MANAGER, 201),
        (Role.SALES_OPS_ANALYST, 201),
        (Role.DEMAND_PLANNER, 403),
        (Role.SUPPLY_PLANNER, 403),
        (Role.FINANCE, 403),
        (Role.EXECUTIVE, 403),
        (Role.TECHNICAL_OPERATIONS_ADVISOR, 403),
    ],
)
def test_api_override_of_a_region_by_role(demand_cycle, users_by_role, role, status):
    row = grid(users_by_role[role], demand_cycle)["rows"][0]
    assert post_override(users_by_role[role], demand_cycle, row).status_code == status


def test_the_second_stale_save_is_a_409_with_the_current_value(demand_cycle, manager):
    row = grid(manager, demand_cycle)["rows"][0]
    assert post_override(manager, demand_cycle, row, 500).status_code == 201
    stale = post_override(manager, demand_cycle, row, 700)
    assert stale.status_code == 409
    assert stale.json()["items"] == [f"{demand_cycle.month:%Y-%m}: now 500"]


def test_who_and_why_are_listed_for_the_row(demand_cycle, manager):
    row = grid(manager, demand_cycle)["rows"][0]
    post_override(manager, demand_cycle, row)
    listed = client_for(manager).get(
        f"/api/demand/cycles/{demand_cycle.pk}/overrides/", row["filters"]
    )
    assert listed.json()[0]["reason"] == "customer-intelligence"
    assert listed.json()[0]["actor"] == manager.username


def test_submit_through_the_api_only_for_the_planners_territory(demand_cycle, planners, company):
    url = f"/api/demand/cycles/{demand_cycle.pk}/submit/"
    client = client_for(planners[0])
    assert client.post(url, {"territory": company.territories[1].pk}).status_code == 403
    assert client.post(url, {"territory": company.territories[0].pk}).status_code == 201


def exported(client, cycle, **params) -> bytes:
    response = client.get(f"/demand/{cycle.pk}/export.xlsx", params)
    assert response.status_code == 200
    return response.content


def edited(data: bytes, territory_name: str, value: int) -> BytesIO:
    book = load_workbook(BytesIO(data))
    for row in book["consensus"].iter_rows(min_row=2):
        if row[2].value == territory_name and row[3].value:  # a SKU row, not a subtotal
            row[4].value = value
            break
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "plan.xlsx"
    return out


def test_excel_round_trip_applies_changed_cells_as_overrides(demand_cycle, planners, company):
    from django.test import Client

    client = Client()
    client.force_login(planners[0])
    own = company.territories[0]
    data = exported(client, demand_cycle, territory=own.pk)
    upload = edited(data, own.name, 777)
    client.post(f"/demand/{demand_cycle.pk}/import/", {"file": upload, "reason_code": "other"})
    values = PlanValue.objects.filter(
        cycle=demand_cycle, measure="consensus", valid_to_seq=None, territory=own, value=777
    )
    assert values.count() == 1


def test_excel_re_import_cannot_edit_another_territory(
    demand_cycle, planners, company, users_by_role
):
    from django.test import Client

    client, manager = Client(), Client()
    client.force_login(planners[0])
    manager.force_login(users_by_role[Role.SALES_OPS_MANAGER])
    other = company.territories[1]
    data = exported(manager, demand_cycle)  # a planner's own export holds only their rows
    upload = edited(data, other.name, 777)
    response = client.post(
        f"/demand/{demand_cycle.pk}/import/", {"file": upload, "reason_code": "other"}, follow=True
    )
    assert "only for the territories you plan" in response.content.decode()
    assert not PlanValue.objects.filter(cycle=demand_cycle, value=777).exists()


def test_a_file_that_is_not_an_export_is_refused_with_a_message(demand_cycle, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(manager)
    upload = SimpleUploadedFile("plan.xlsx", b"not a workbook")
    response = client.post(
        f"/demand/{demand_cycle.pk}/import/", {"file": upload, "reason_code": "other"}, follow=True
    )
    assert "not a plan exported from the grid" in response.content.decode()


def test_the_grid_page_renders_for_every_role(demand_cycle, users_by_role):
    from django.test import Client

    for user in users_by_role.values():
        client = Client()
        client.force_login(user)
        assert client.get("/demand/").status_code == 200


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_grid_rows_are_editable_exactly_for_the_roles_that_edit_demand(
    demand_cycle, users_by_role, company, role
):
    rows = grid(users_by_role[role], demand_cycle, territory_level="territory")["rows"]
    editable = {r["place"] for r in rows if r["editable"]}
    expected = {
        Role.SALES_OPS_MANAGER: {t.name for t in company.territories},
        Role.SALES_OPS_ANALYST: {t.name for t in company.territories},
        Role.DEMAND_PLANNER: {company.territories[0].name},
    }.get(role, set())
    assert editable == expected


def test_a_zip_bomb_posted_as_a_re_import_is_refused_before_it_is_unpacked(demand_cycle, manager):
    """A 0.1 MB workbook whose text table unpacks to 100 MB: openpyxl would read it whole
    in the web request; it is refused naming the limit, and no figure changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tests.uploads.hostile_workbooks import shared_string_bomb

    client = Client()
    client.force_login(manager)
    before = PlanValue.objects.filter(cycle=demand_cycle).count()
    upload = SimpleUploadedFile("plan.xlsx", shared_string_bomb())
    response = client.post(
        f"/demand/{demand_cycle.pk}/import/", {"file": upload, "reason_code": "other"}, follow=True
    )
    page = response.content.decode()
    assert "The workbook was not read: its shared text table unpacks to 100.0 MB" in page
    assert "the limit is" in page
    assert PlanValue.objects.filter(cycle=demand_cycle).count() == before
