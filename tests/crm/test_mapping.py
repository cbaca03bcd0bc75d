"""The pure mapper: a CRM record becomes our deal's fields, or a refusal in words."""

from datetime import date
from decimal import Decimal

import pytest

from crm.mapping import MappingContext, Refused, Rule, StageInfo, map_deal, rate_at

NORTH, SOUTH, WEST = 1, 2, 3
GADGETS = 10


def _context(**changes) -> MappingContext:
    values = {
        "company_currency": "EUR",
        "stages": {
            "s1": StageInfo(Decimal("40")),
            "won": StageInfo(Decimal("100"), is_won=True),
        },
        "territories_by_name": {"north": NORTH, "south": SOUTH},
        "families_by_tag": {"gadgets": GADGETS},
        "products_by_sku": {"SKU-1": 100},
        "rates": {"USD": [(date(2027, 1, 1), Decimal("0.9")), (date(2027, 4, 1), Decimal("0.8"))]},
        "today": date(2027, 1, 15),
    }
    return MappingContext(**(values | changes))


def _record(**changes) -> dict:
    values = {
        "id": "42",
        "name": "Spring order",
        "organization": "Acme",
        "organization_region": "North",
        "owner_email": "Rita@Example.com",
        "stage_id": "s1",
        "expected_close": "2027-03-15",
        "value": "1200.50",
        "currency": "EUR",
        "tags": ["gadgets"],
        "updated_at": "2027-01-10T08:00:00Z",
    }
    return values | changes


def test_a_clean_record_lands_with_its_exact_value_and_the_organizations_territory():
    deal = map_deal(_record(), _context())
    assert deal.fields["value"] == Decimal("1200.50")
    assert deal.fields["value_company"] == Decimal("1200.50")
    assert deal.fields["territory_id"] == NORTH
    assert deal.fields["mapped_by"] == "region"
    assert deal.fields["family_id"] == GADGETS
    assert deal.fields["owner_email"] == "rita@example.com"
    assert deal.fields["status"] == "open"
    assert deal.notes == []


def test_the_owners_territory_comes_before_the_organizations_region():
    context = _context(owner_territories={"rita@example.com": SOUTH})
    deal = map_deal(_record(), context)
    assert (deal.fields["territory_id"], deal.fields["mapped_by"]) == (SOUTH, "owner")


def test_an_owner_rule_beats_the_region_and_an_organization_rule_fills_a_gap():
    owner_rule = Rule("owner", "rita@example.com", territory_id=WEST)
    assert map_deal(_record(), _context(rules=[owner_rule])).fields["territory_id"] == WEST
    org_rule = Rule("organization", "acme", territory_id=SOUTH)
    deal = map_deal(_record(organization_region="Atlantis"), _context(rules=[org_rule]))
    assert (deal.fields["territory_id"], deal.fields["mapped_by"]) == (SOUTH, "rule")


def test_a_deal_nobody_can_place_is_kept_without_territory_and_says_so():
    deal = map_deal(_record(organization_region="Atlantis"), _context())
    assert deal.fields["territory_id"] is None
    assert deal.notes == ["no territory for deal 42"]


def test_a_foreign_currency_converts_at_the_newest_rate_valid_in_the_close_month():
    deal = map_deal(_record(currency="usd", expected_close="2027-05-02"), _context())
    assert deal.fields["currency"] == "USD"
    assert deal.fields["value_company"] == Decimal("960.40")
    earlier = map_deal(_record(currency="USD", expected_close="2027-03-31"), _context())
    assert earlier.fields["value_company"] == Decimal("1080.45")


def test_a_currency_without_a_rate_is_kept_unconverted_and_listed():
    deal = map_deal(_record(currency="GBP", expected_close="2027-03-01"), _context())
    assert deal.fields["value"] == Decimal("1200.50")
    assert deal.fields["value_company"] is None
    assert deal.notes == ["no rate for GBP from 2027-03"]
    too_early = map_deal(_record(currency="USD", expected_close="2026-12-01"), _context())
    assert too_early.notes == ["no rate for USD from 2026-12"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"id": ""}, "the deal has no id"),
        ({"value": "-5"}, "deal 42: value -5 is negative"),
        ({"value": "12.345"}, "deal 42: value 12.345 has more than 2 decimals"),
        ({"value": "lots"}, "deal 42: value lots is not a number"),
        ({"stage_id": "s9"}, "deal 42: unknown stage s9"),
        ({"expected_close": "31/03/2027"}, "expected close date 31/03/2027 is not a date"),
        ({"currency": "euro"}, "currency EURO is not a 3-letter code"),
        ({"likelihood": "140"}, "win likelihood 140 is over 100%"),
        ({"updated_at": "yesterday"}, "updated_at yesterday is not a time"),
    ],
)
def test_a_malformed_record_is_refused_naming_the_field_and_value(changes, words):
    with pytest.raises(Refused, match=words.replace("(", r"\(")):
        map_deal(_record(**changes), _context())


def test_line_items_name_products_and_an_unknown_sku_is_noted():
    lines = [
        {"id": "l1", "sku": "SKU-1", "quantity": "3", "unit_price": "400.10"},
        {"id": "l2", "sku": "SKU-X", "quantity": "1.5", "unit_price": "0"},
    ]
    deal = map_deal(_record(lines=lines), _context())
    assert [(line.product_id, line.quantity) for line in deal.lines] == [
        (100, Decimal("3")),
        (None, Decimal("1.5")),
    ]
    assert deal.fields["family_id"] is None  # the line items say which products
    assert deal.notes == ["unknown SKU SKU-X in deal 42"]


def test_a_won_stage_makes_a_won_deal():
    assert map_deal(_record(stage_id="won"), _context()).fields["status"] == "won"


def test_a_family_rule_by_tag_places_a_deal_whose_tag_is_no_family():
    rule = Rule("tag", "widgets-promo", family_id=GADGETS + 1)
    deal = map_deal(_record(tags=["widgets-promo"]), _context(rules=[rule]))
    assert deal.fields["family_id"] == GADGETS + 1


def test_rate_at_takes_the_newest_rate_already_valid():
    rates = [(date(2027, 1, 1), Decimal("1.1")), (date(2027, 6, 1), Decimal("1.2"))]
    assert rate_at(rates, date(2027, 5, 1)) == Decimal("1.1")
    assert rate_at(rates, date(2027, 6, 1)) == Decimal("1.2")
    assert rate_at(rates, date(2026, 12, 1)) is None
