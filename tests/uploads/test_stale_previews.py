"""Commit what was previewed, or nothing, for every upload kind that writes data.

A preview compares every row of the file with what is stored; the commit checks that
every one of them (new, changed and unchanged alike) still holds that value, and
otherwise writes nothing and names the rows that moved (issue 20 item 4; actuals are
covered in test_actuals_upload.py).
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.roles import Role
from cycles.stages import Stage
from products.models import Product
from territories.models import Territory
from tests.fixtures.uploads import committed, reverted, sent_back
from tests.supply.plan_data import open_cycle, values
from uploads.models import UploadBatch

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
JAN, FEB = date(2027, 1, 1), date(2027, 2, 1)


def commit(upload, user, text: str, kind: str, name: str = "f.csv") -> UploadBatch:
    """Upload, preview and commit a file, written by the worker; the batch as it ended."""
    batch = committed(actor=user, batch_id=upload(user, text.encode(), name=name, kind=kind).pk)
    assert batch.status == UploadBatch.Status.COMMITTED, (batch.status, batch.error)
    return batch


@pytest.fixture
def maria(user_with_role):
    """A second specialist, whose later commit moves a row of the first one's preview."""
    user = user_with_role(Role.SALES_PLANNING_SPECIALIST, username="maria")
    user.first_name, user.last_name = "Maria", "Manager"
    user.save()
    return user


def test_a_price_preview_whose_unchanged_row_moved_commits_nothing(
    company, user_with_role, maria, upload
):
    specialist = user_with_role(Role.SALES_PLANNING_SPECIALIST)
    a, b = company.products[0].sku, company.products[1].sku
    preview = upload(
        specialist, f"sku,unit_price\n{a},10.00\n{b},12.50\n".encode(), name="p.csv", kind="prices"
    )
    assert (preview.changed_count, preview.unchanged_count) == (1, 1)
    commit(upload, maria, f"sku,unit_price\n{a},11.00\n", "prices")
    message = sent_back(committed(actor=specialist, batch_id=preview.pk))
    assert (
        f"row 2 ({a}): unit_price was 10.00 when you previewed, now 11.00 by Maria Manager at"
        in message
    )
    assert message.endswith("Nothing was written: preview again.")
    prices = dict(Product.objects.filter(sku__in=[a, b]).values_list("sku", "unit_price"))
    assert prices == {a: Decimal("11.00"), b: Decimal("10.00")}  # B not written either


def test_a_products_preview_whose_unchanged_row_moved_commits_nothing(
    company, user_with_role, upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    a, b = company.products[0], company.products[1]

    def line(product, name: str) -> str:
        return (
            f"{product.sku},{name},{product.family.code},{product.unit_price},{product.unit_cost}"
        )

    head = "sku,name,family,unit_price,unit_cost\n"
    preview = upload(
        analyst, f"{head}{line(a, a.name)}\n{line(b, 'Renamed')}\n".encode(), kind="products"
    )
    assert (preview.changed_count, preview.unchanged_count) == (1, 1)
    commit(upload, analyst, f"{head}{line(a, 'Another name')}\n", "products")
    message = sent_back(committed(actor=analyst, batch_id=preview.pk))
    assert f"row 2 ({a.sku}): name was {a.name} when you" in message
    assert Product.objects.get(pk=b.pk).name == b.name


def test_a_territories_preview_whose_unchanged_row_moved_commits_nothing(
    company, user_with_role, upload
):
    analyst = user_with_role(Role.SALES_OPS_MANAGER)
    a, b = company.territories[0], company.territories[1]
    r = a.region.code
    preview = upload(
        analyst,
        f"code,name,region\n{a.code},{a.name},{r}\n{b.code},Renamed,{r}\n".encode(),
        kind="territories",
    )
    commit(upload, analyst, f"code,name,region\n{a.code},Moved,{r}\n", "territories")
    message = sent_back(committed(actor=analyst, batch_id=preview.pk))
    assert f"row 2 ({a.code}): name was {a.name} when you" in message
    assert Territory.objects.get(pk=b.pk).name == b.name


def test_a_budget_preview_whose_unchanged_row_moved_commits_nothing(
    users_by_role, company, upload
):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    finance = users_by_role[Role.FINANCE]
    family, territory = company.families[0].code, company.territories[0].code
    head = "family,territory,month,units,revenue\n"
    commit(upload, finance, f"{head}{family},{territory},2027-01,100,250\n", "budgets")
    preview = upload(
        finance,
        f"{head}{family},{territory},2027-01,100,250\n{family},{territory},2027-02,80,200\n".encode(),
        kind="budgets",
    )
    assert (preview.new_count, preview.unchanged_count) == (1, 1)
    commit(upload, finance, f"{head}{family},{territory},2027-01,120,250\n", "budgets")
    message = sent_back(committed(actor=finance, batch_id=preview.pk))
    assert f"row 2 ({family} / {territory} / 2027-01): units 100 when you previewed, now 120" in (
        message
    )
    assert sorted(values(cycle, "budget_units").values()) == [Decimal(120)]  # no February


def test_a_supply_inputs_preview_whose_unchanged_row_moved_commits_nothing(
    users_by_role, company, upload
):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    planner = users_by_role[Role.SUPPLY_PLANNER]
    family = company.families[0].code
    head = "family,month,measure,value\n"
    commit(upload, planner, f"{head}{family},2027-01,capacity,500\n", "supply_inputs")
    preview = upload(
        planner,
        f"{head}{family},2027-01,capacity,500\n{family},2027-02,capacity,600\n".encode(),
        kind="supply_inputs",
    )
    assert (preview.new_count, preview.unchanged_count) == (1, 1)
    commit(upload, planner, f"{head}{family},2027-01,capacity,700\n", "supply_inputs")
    assert "value 500 when you previewed, now 700" in sent_back(
        committed(actor=planner, batch_id=preview.pk)
    )
    assert sorted(values(cycle, "capacity").values()) == [Decimal(700)]


def test_a_fresh_preview_with_unchanged_rows_commits_and_reverts_only_what_it_changed(
    company, user_with_role, upload
):
    specialist = user_with_role(Role.SALES_PLANNING_SPECIALIST)
    a, b = company.products[0].sku, company.products[1].sku
    content = f"sku,unit_price\n{a},10.00\n{b},12.50\n"
    batch = commit(upload, specialist, content, "prices")
    assert batch.rows_written == 1
    commit(upload, specialist, f"sku,unit_price\n{a},11.00\n", "prices")  # a row it left as is
    reverted(actor=specialist, batch_id=batch.pk)
    prices = dict(Product.objects.filter(sku__in=[a, b]).values_list("sku", "unit_price"))
    assert prices == {a: Decimal("11.00"), b: Decimal("10.00")}
