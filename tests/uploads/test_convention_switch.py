"""The preview says how it read the figures and lets the user switch before committing.

A `,` file of European figures ("1,5" meaning one and a half) is refused cell by cell
with a decimal point; read again with a decimal comma (upload page or API) every
figure lands exactly. Choosing the convention on the upload itself does the same.
"""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from forecasting.models import SalesActual
from products.models import Product
from sop_planner.errors import DomainError, NotAllowed
from tests.fixtures.uploads import LAST, batch_reaches, committed, work_off
from tests.fixtures.waiting import wait_for
from uploads.models import UploadBatch
from uploads.services import upload_reread

pytestmark = pytest.mark.django_db
COMMA = "decimal comma, dot for thousands"
POINT = "decimal point, comma for thousands"


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.SALES_OPS_ANALYST)


def european(company) -> bytes:
    """A `,`-separated export whose figures use a decimal comma, quoted."""
    sku, code = company.products[0].sku, company.territories[0].code
    return (
        "period,product,territory,units,revenue\n"
        f'{LAST},{sku},{code},"1,5","1.234,50"\n'
        f'{LAST},{company.products[1].sku},{code},"2.000","20,00"\n'
    ).encode()


def _file(content: bytes, name: str = "sales.csv"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_the_page_states_the_convention_and_switching_reads_every_figure_exactly(
    client, company, analyst
):
    client.force_login(analyst)
    client.post(reverse("uploads:page"), {"file": _file(european(company)), "kind": "actuals"})
    work_off()
    batch = UploadBatch.objects.get()
    assert batch.rejected_count == 2  # "1,5" and "20,00" fit no decimal-point reading
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert f"Figures read with a {POINT}" in page
    assert 'id="switch-convention"' in page and 'value="decimal_comma"' in page
    client.post(reverse("uploads:convention", args=[batch.pk]), {"convention": "decimal_comma"})
    work_off()
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert f"Figures read with a {COMMA} (your choice" in page
    batch.refresh_from_db()
    assert (batch.rejected_count, batch.new_count, batch.convention) == (0, 2, "decimal_comma")
    assert committed(actor=analyst, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    assert sorted(SalesActual.objects.values_list("units", "revenue")) == [
        (Decimal("1.5"), Decimal("1234.50")),
        (Decimal("2000"), Decimal("20.00")),
    ]


def test_the_api_takes_the_convention_on_upload_and_switches_it_on_a_preview(
    client, company, analyst
):
    client.force_login(analyst)
    queued = client.post(
        "/api/imports/",
        {"file": _file(european(company)), "kind": "actuals", "convention": "decimal_comma"},
    ).json()
    assert (queued["status"], queued["convention"]) == ("queued", "decimal_comma")
    assert queued["number_convention"] == ""  # the request read none of the file
    work_off()
    body = client.get(f"/api/imports/{queued['id']}/").json()
    assert (body["status"], body["rejected_count"], body["new_count"]) == ("previewed", 0, 2)
    assert body["number_convention"].startswith(f"with a {COMMA}")
    switched = client.post(
        f"/api/imports/{body['id']}/convention",
        {"convention": "decimal_point"},
        content_type="application/json",
    )
    assert switched.status_code == 200
    answer = switched.json()
    assert (answer["status"], answer["convention"]) == ("queued", "decimal_point")
    work_off()
    reread = client.get(f"/api/imports/{body['id']}/").json()
    assert (reread["status"], reread["rejected_count"]) == ("previewed", 2)
    assert reread["number_convention"].startswith(f"with a {POINT} (your choice")
    assert {r["value"] for r in reread["rejections"]} >= {"1,5", "20,00"}
    refused = client.post(
        f"/api/imports/{body['id']}/convention",
        {"convention": "roman"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "'roman'" in str(refused.json()) and "decimal_comma" in str(refused.json())


def test_a_price_file_read_again_with_a_decimal_comma_lands_exactly(
    company, user_with_role, upload
):
    specialist, sku = user_with_role(Role.SALES_PLANNING_SPECIALIST), company.products[0].sku
    batch = upload(specialist, f'sku,unit_price\n{sku},"32,30"\n'.encode(), kind="prices")
    assert batch.rejected_count == 1
    upload_reread(actor=specialist, batch_id=batch.pk, convention="decimal_comma")
    work_off()
    batch.refresh_from_db()
    assert (batch.status, batch.rejected_count, batch.changed_count) == ("previewed", 0, 1)
    assert batch.changes.filter(unchanged=False).count() == 1  # read again, not added twice
    assert committed(actor=specialist, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    assert Product.objects.get(sku=sku).unit_price == Decimal("32.30")


def test_only_a_previewed_upload_of_ones_own_is_read_again(company, user_with_role, upload):
    analyst, other = (
        user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]]),
        (user_with_role(Role.DEMAND_PLANNER, territories=[company.territories[0]])),
    )
    batch = upload(analyst, european(company))
    with pytest.raises(NotAllowed):
        upload_reread(actor=other, batch_id=batch.pk, convention="decimal_comma")
    upload_reread(actor=analyst, batch_id=batch.pk, convention="decimal_comma")
    with pytest.raises(DomainError, match="only a previewed upload can be read again"):
        upload_reread(actor=analyst, batch_id=batch.pk, convention="decimal_point")  # queued
    work_off()
    assert committed(actor=analyst, batch_id=batch.pk).status == UploadBatch.Status.COMMITTED
    with pytest.raises(DomainError, match="only a previewed upload can be read again"):
        upload_reread(actor=analyst, batch_id=batch.pk, convention="decimal_point")
    assert SalesActual.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.redis
def test_a_big_file_is_read_again_by_the_worker(
    celery_worker, big_files, company, user_with_role, upload
):
    analyst = user_with_role(Role.SALES_OPS_ANALYST)
    batch = upload(analyst, european(company))
    first = wait_for(batch_reaches(batch.pk, UploadBatch.Status.PREVIEWED))
    assert first.rejected_count == 2
    upload_reread(actor=analyst, batch_id=batch.pk, convention="decimal_comma")
    wait_for(
        lambda: UploadBatch.objects.filter(
            pk=batch.pk, status=UploadBatch.Status.PREVIEWED, rejected_count=0
        ).first()
    )
    assert UploadBatch.objects.get(pk=batch.pk).new_count == 2


def test_the_upload_page_takes_the_convention_with_the_file(client, company, analyst):
    client.force_login(analyst)
    client.post(
        reverse("uploads:page"),
        {"file": _file(european(company)), "kind": "actuals", "convention": "decimal_comma"},
    )
    work_off()
    batch = UploadBatch.objects.get()
    assert (batch.convention, batch.rejected_count, batch.new_count) == ("decimal_comma", 0, 2)
    page = client.get(reverse("uploads:batch", args=[batch.pk])).content.decode()
    assert f"Read the figures with a {POINT} instead" in page
