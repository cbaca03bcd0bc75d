"""Date fields in edit forms: the browser's date picker shows the saved date, and saves it back.

An <input type="date"> takes only yyyy-mm-dd; a value in the page's locale
(01/10/2026 in en-gb) is dropped by the browser and the field posts blank.
"""

from datetime import date
from html.parser import HTMLParser

import pytest

from accounts.roles import Role
from cycles.models import CalendarMonth
from products.models import Product

pytestmark = pytest.mark.django_db


class _Inputs(HTMLParser):
    """The <input> elements of a page, as the browser would post them (checkboxes when on)."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[str, dict] = {}
        self.selects: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.selects[self._select] = attrs.get("value", "")

    def posted(self) -> dict:
        data = dict(self.selects)
        for name, attrs in self.inputs.items():
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    data[name] = "on"
            else:
                data[name] = attrs.get("value") or ""
        return data


def _form(client, url: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(client.get(url).content.decode())
    return parser


def test_a_calendar_month_opens_with_its_month_filled_in_and_saves_unchanged(
    client, users_by_role
):
    month = CalendarMonth.objects.create(month=date(2026, 10, 1), holidays=["2026-10-05"])
    client.force_login(users_by_role[Role.SALES_PLANNING_SPECIALIST])
    form = _form(client, f"/cycles/calendar/{month.pk}/")
    assert form.inputs["month"]["type"] == "date"
    assert form.inputs["month"]["value"] == "2026-10-01"
    response = client.post(f"/cycles/calendar/{month.pk}/", form.posted(), follow=True)
    assert f"Saved {month}" in response.content.decode()
    month.refresh_from_db()
    assert month.month == date(2026, 10, 1) and month.holidays == ["2026-10-05"]


def test_a_product_opens_with_its_launch_and_discontinuation_months_and_saves_unchanged(
    client, users_by_role, company
):
    product = company.products[0]
    Product.objects.filter(pk=product.pk).update(
        launch_month=date(2026, 3, 1), discontinued_month=date(2027, 6, 1)
    )
    client.force_login(users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR])
    form = _form(client, f"/products/{product.pk}/")
    assert form.inputs["launch_month"]["value"] == "2026-03-01"
    assert form.inputs["discontinued_month"]["value"] == "2027-06-01"
    response = client.post(f"/products/{product.pk}/", form.posted(), follow=True)
    assert f"Saved {Product.objects.get(pk=product.pk)}" in response.content.decode()
    product.refresh_from_db()
    assert (product.launch_month, product.discontinued_month) == (
        date(2026, 3, 1),
        date(2027, 6, 1),
    )
