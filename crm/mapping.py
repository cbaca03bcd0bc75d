"""A CRM deal record (a plain dict, whatever its source) turned into our deal's fields, or
refused in words. No Django: the sync, the upload and the tests call it alike.

A record is refused when it cannot be stored at all (no id, a negative value, an unknown
stage, a date that is not a date). A record that can be stored but not fully placed in
the plan is kept with notes: no territory found (it goes to the list of unmapped deals),
no rate for its currency (it stays unconverted, "no rate for USD from 2027-03").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")


class Refused(Exception):
    """The record cannot be stored; the message says why, naming the field and value."""


@dataclass(frozen=True)
class StageInfo:
    likelihood: Decimal
    is_won: bool = False
    is_lost: bool = False


@dataclass(frozen=True)
class Rule:
    """A mapping rule: deals whose `field` equals `value` go to a territory and/or family."""

    field: str  # owner, organization, region or tag
    value: str
    territory_id: int | None = None
    family_id: int | None = None


@dataclass
class MappingContext:
    """What the mapper needs to know about the company, loaded once per sync or upload."""

    company_currency: str
    stages: dict[str, StageInfo]
    territories_by_name: dict[str, int] = field(default_factory=dict)  # code or name, lower
    owner_territories: dict[str, int] = field(default_factory=dict)  # owner e-mail, lower
    rules: list[Rule] = field(default_factory=list)
    families_by_tag: dict[str, int] = field(default_factory=dict)  # family code or name, lower
    products_by_sku: dict[str, int] = field(default_factory=dict)
    rates: dict[str, list[tuple[date, Decimal]]] = field(default_factory=dict)
    today: date = field(default_factory=date.today)


@dataclass
class MappedLine:
    external_id: str
    sku: str
    product_id: int | None
    quantity: Decimal
    unit_price: Decimal


@dataclass
class MappedDeal:
    """The deal's fields as our Deal model names them, and what could not be placed."""

    external_id: str
    fields: dict[str, Any]
    lines: list[MappedLine]
    notes: list[str] = field(default_factory=list)


def map_deal(record: dict[str, Any], context: MappingContext) -> MappedDeal:
    """Map one record, or raise Refused naming what is wrong."""
    external_id = _text(record.get("id"))
    if not external_id:
        raise Refused("the deal has no id")
    stage = _stage(record, context)
    value = _amount(record.get("value"), "value", external_id)
    currency = _currency(record, external_id)
    expected_close = _date(record.get("expected_close"), "expected close date", external_id)
    lines = [_line(line, context, external_id) for line in record.get("lines") or []]
    fields = {
        "name": _text(record.get("name")) or f"Deal {external_id}",
        "organization": _text(record.get("organization")),
        "organization_region": _text(record.get("organization_region")),
        "owner_name": _text(record.get("owner_name")),
        "owner_email": _text(record.get("owner_email")).lower(),
        "stage_external_id": _text(record.get("stage_id")),
        "status": _status(stage),
        "likelihood": _likelihood(record.get("likelihood"), external_id),
        "expected_close": expected_close,
        "closed_on": _date(record.get("closed_on"), "close date", external_id),
        "value": value,
        "currency": currency,
        "tags": [_text(tag) for tag in record.get("tags") or [] if _text(tag)],
        "updated_upstream": _timestamp(record.get("updated_at"), external_id),
    }
    deal = MappedDeal(external_id=external_id, fields=fields, lines=lines)
    _place(deal, context)
    _convert(deal, context)
    return deal


def _place(deal: MappedDeal, context: MappingContext) -> None:
    """Territory by the owner, the organization's region, or a rule; family by tag."""
    territory_id, how = find_territory(deal.fields, context)
    family_id = find_family(deal.fields, context) if not deal.lines else None
    deal.fields.update(territory_id=territory_id, family_id=family_id, mapped_by=how)
    if territory_id is None:
        deal.notes.append(f"no territory for deal {deal.external_id}")
    unknown = sorted({line.sku for line in deal.lines if line.product_id is None})
    if unknown:
        deal.notes.append(f"unknown SKU {', '.join(unknown)} in deal {deal.external_id}")


def find_territory(fields: dict[str, Any], context: MappingContext) -> tuple[int | None, str]:
    """The territory and how it was found (owner, region, rule), or (None, "")."""
    owner = fields["owner_email"]
    if owner in context.owner_territories:
        return context.owner_territories[owner], "owner"
    rule = _first_rule(fields, context, want="territory_id")
    if rule is not None and rule.field == "owner":
        return rule.territory_id, "rule"
    region = fields["organization_region"].lower()
    if region in context.territories_by_name:
        return context.territories_by_name[region], "region"
    return (rule.territory_id, "rule") if rule is not None else (None, "")


def find_family(fields: dict[str, Any], context: MappingContext) -> int | None:
    for tag in fields["tags"]:
        if tag.lower() in context.families_by_tag:
            return context.families_by_tag[tag.lower()]
    rule = _first_rule(fields, context, want="family_id")
    return rule.family_id if rule is not None else None


def _first_rule(fields: dict[str, Any], context: MappingContext, *, want: str) -> Rule | None:
    keys = {
        "owner": {fields["owner_email"]},
        "organization": {fields["organization"].lower()},
        "region": {fields["organization_region"].lower()},
        "tag": {tag.lower() for tag in fields["tags"]},
    }
    for rule in context.rules:
        if getattr(rule, want) is not None and rule.value.lower() in keys.get(rule.field, ()):
            return rule
    return None


def _convert(deal: MappedDeal, context: MappingContext) -> None:
    """The value in the company currency at the newest rate valid in the close month."""
    currency, value = deal.fields["currency"], deal.fields["value"]
    if currency == context.company_currency:
        deal.fields["value_company"] = value
        return
    month = (deal.fields["expected_close"] or context.today).replace(day=1)
    converted = value_in(value, context.rates.get(currency, []), month)
    deal.fields["value_company"] = converted
    if converted is None:
        deal.notes.append(f"no rate for {currency} from {month:%Y-%m}")


def value_in(value: Decimal, rates: list[tuple[date, Decimal]], month: date) -> Decimal | None:
    """The value in the company currency at the rate valid in the month, to the cent."""
    rate = rate_at(rates, month)
    return None if rate is None else (value * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_at(rates: list[tuple[date, Decimal]], month: date) -> Decimal | None:
    """The newest rate whose validity starts on or before the month."""
    valid = [(since, rate) for since, rate in rates if since <= month]
    return max(valid)[1] if valid else None


def _stage(record: dict[str, Any], context: MappingContext) -> StageInfo:
    stage_id = _text(record.get("stage_id"))
    if stage_id not in context.stages:
        raise Refused(f"deal {_text(record.get('id'))}: unknown stage {stage_id or '(none)'}")
    return context.stages[stage_id]


def _status(stage: StageInfo) -> str:
    return "won" if stage.is_won else "lost" if stage.is_lost else "open"


def _line(line: dict[str, Any], context: MappingContext, deal_id: str) -> MappedLine:
    sku = _text(line.get("sku"))
    if not sku:
        raise Refused(f"deal {deal_id}: a line item has no SKU")
    quantity = _decimal(line.get("quantity"), f"quantity of {sku}", deal_id, places=3)
    return MappedLine(
        external_id=_text(line.get("id")),
        sku=sku,
        product_id=context.products_by_sku.get(sku),
        quantity=quantity,
        unit_price=_amount(line.get("unit_price"), f"price of {sku}", deal_id),
    )


def _amount(raw: Any, what: str, deal_id: str) -> Decimal:
    return _decimal(raw, what, deal_id, places=2)


def _decimal(raw: Any, what: str, deal_id: str, *, places: int) -> Decimal:
    """A non-negative number with at most `places` decimals, exactly as the CRM sent it."""
    text = _text(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Refused(f"deal {deal_id}: {what} {text or '(empty)'} is not a number") from None
    if not number.is_finite():
        raise Refused(f"deal {deal_id}: {what} {text} is not a number")
    if number < 0:
        raise Refused(f"deal {deal_id}: {what} {text} is negative")
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise Refused(f"deal {deal_id}: {what} {text} has more than {places} decimals")
    return number


def _likelihood(raw: Any, deal_id: str) -> Decimal | None:
    if raw is None or _text(raw) == "":
        return None
    number = _decimal(raw, "win likelihood", deal_id, places=2)
    if number > 100:
        raise Refused(f"deal {deal_id}: win likelihood {raw} is over 100%")
    return number


def _currency(record: dict[str, Any], deal_id: str) -> str:
    currency = _text(record.get("currency")).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise Refused(f"deal {deal_id}: currency {currency or '(empty)'} is not a 3-letter code")
    return currency


def _date(raw: Any, what: str, deal_id: str) -> date | None:
    """A date (YYYY-MM-DD), or the date of an ISO time stamp."""
    text = _text(raw)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise Refused(f"deal {deal_id}: {what} {text} is not a date (YYYY-MM-DD)") from None


def _timestamp(raw: Any, deal_id: str) -> datetime:
    text = _text(raw)
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(f"deal {deal_id}: updated_at {text or '(empty)'} is not a time") from None
    if stamp.tzinfo is None:
        raise Refused(f"deal {deal_id}: updated_at {text} has no time zone")
    return stamp


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()
