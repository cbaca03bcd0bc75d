"""What an upload keeps of a user's words is kept whole: file names, keys, rejected cells."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cycles.stages import Stage
from sop_planner.errors import DomainError
from tests.supply.plan_data import open_cycle
from uploads.models import UploadBatch

pytestmark = pytest.mark.django_db


def test_a_400_character_file_name_is_kept_whole(users_by_role, company, upload):
    name = "actuals-" + "x" * 388 + ".csv"
    content = b"period,product,territory,units\n"
    batch = upload(users_by_role[Role.SALES_OPS_ANALYST], content, name=name)
    assert len(name) == 400
    assert UploadBatch.objects.get(pk=batch.pk).file_name == name


def test_a_rejected_400_character_cell_is_kept_whole_and_shown_shortened(
    client, users_by_role, company, upload
):
    analyst = users_by_role[Role.SALES_OPS_ANALYST]
    sku = "S" * 400
    content = f"period,product,territory,units\n2020-01,{sku},{company.territories[0].code},5\n"
    batch = upload(analyst, content.encode())
    rejection = batch.rejections.get(column="product")
    assert rejection.value == sku
    assert rejection.reason == "unknown SKU"
    client.force_login(analyst)
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert "S" * 199 + "…" in page
    assert sku not in page


def test_a_budget_row_of_long_family_and_territory_names_keeps_its_whole_key(
    users_by_role, company, upload
):
    open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    family, territory = company.families[0], company.territories[0]
    family.name, territory.name = "F" * 100, "T" * 100
    family.save(update_fields=["name"])
    territory.save(update_fields=["name"])
    content = f"family,territory,month,units,revenue\n{family.name},{territory.name},2027-01,1,2\n"
    batch = upload(users_by_role[Role.FINANCE], content.encode(), kind="budgets")
    assert batch.rejected_count == 0, list(batch.rejections.values_list("reason", flat=True))
    assert batch.changes.get().key == f"{family.name} / {territory.name} / 2027-01"


def test_a_long_unknown_number_convention_is_quoted_shortened_with_an_ellipsis(
    users_by_role, company, queue_upload
):
    content = b"period,product,territory,units\n"
    with pytest.raises(DomainError) as refused:
        queue_upload(users_by_role[Role.SALES_OPS_ANALYST], content, convention="z" * 100)
    assert f"'{'z' * 40}… (100 characters in all)' is not one of" in str(refused.value)
