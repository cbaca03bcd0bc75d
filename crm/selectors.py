"""Reads of the CRM data that the pages, the API and the sync share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet

from crm.mapping import MappingContext, Rule, StageInfo
from crm.models import CrmConnection, CrmStage, CurrencyRate, Deal, MappingRule, SyncRun
from products.models import Product, ProductFamily
from territories.selectors import active_territories, rep_territories_on


def mapping_context(*, source: str, today: date | None = None) -> MappingContext:
    """Everything the mapper needs, read once for a sync or an upload."""
    territories: dict[str, int] = {}
    for territory in active_territories():
        territories[territory.code.lower()] = territory.pk
        territories[territory.name.lower()] = territory.pk
    families: dict[str, int] = {}
    for family in ProductFamily.objects.all():
        families[family.code.lower()] = family.pk
        families[family.name.lower()] = family.pk
    today = today or date.today()
    return MappingContext(
        company_currency=settings.COMPANY_CURRENCY,
        stages={
            stage.external_id: StageInfo(stage.likelihood, stage.is_won, stage.is_lost)
            for stage in CrmStage.objects.filter(source=source)
        },
        territories_by_name=territories,
        rules=[
            Rule(rule.field, rule.value, rule.territory_id, rule.family_id)
            for rule in MappingRule.objects.order_by("pk")
        ],
        families_by_tag=families,
        products_by_sku=dict(Product.objects.values_list("sku", "pk")),
        rates=currency_rates(),
        owner_territories=rep_territories_on(today),
        today=today,
    )


def currency_rates() -> dict[str, list[tuple[date, Decimal]]]:
    rates: dict[str, list[tuple[date, Decimal]]] = {}
    for currency, since, rate in CurrencyRate.objects.values_list(
        "currency", "valid_from", "rate"
    ):
        rates.setdefault(currency, []).append((since, rate))
    return rates


def deals(
    *,
    territory_id: int | None = None,
    status: str | None = None,
    month: date | None = None,
    include_deleted: bool = False,
) -> QuerySet[Deal]:
    """Deals with their stage, territory and family, filtered as asked."""
    rows = Deal.objects.select_related("stage", "territory", "family").prefetch_related("lines")
    if not include_deleted:
        rows = rows.filter(deleted_upstream=False)
    if territory_id is not None:
        rows = rows.filter(territory_id=territory_id)
    if status:
        rows = rows.filter(status=status)
    if month is not None:
        rows = rows.filter(expected_close__year=month.year, expected_close__month=month.month)
    return rows


def unmapped_deals() -> QuerySet[Deal]:
    """Deals still in the CRM that do not reach the plan: no territory, or no family and
    no line item to say which products."""
    no_family = Deal.objects.filter(family__isnull=True, lines__isnull=True).values("pk")
    return deals().filter(Q(territory__isnull=True) | Q(pk__in=no_family)).distinct()


def unconverted_deals() -> QuerySet[Deal]:
    return deals().filter(value_company__isnull=True)


@dataclass(frozen=True)
class MissingRate:
    """A currency that needs a rate: from the month of its earliest deal, for this many."""

    currency: str
    since: date
    deals: int


def missing_rates() -> list[MissingRate]:
    """What the specialist must enter so every deal is valued, one line per currency."""
    rows = (
        unconverted_deals()
        .order_by()
        .values("currency")
        .annotate(since=Min("expected_close"), deals=Count("pk"))
        .order_by("currency")
    )
    return [MissingRate(row["currency"], row["since"], row["deals"]) for row in rows]


def connection(source: str = "zendesk_sell") -> CrmConnection | None:
    return CrmConnection.objects.filter(source=source).first()


def sync_runs(*, limit: int | None = None) -> QuerySet[SyncRun]:
    runs = SyncRun.objects.select_related("connection", "started_by")
    return runs[:limit] if limit else runs


def rates() -> QuerySet[CurrencyRate]:
    return CurrencyRate.objects.select_related("created_by")


def rules() -> QuerySet[MappingRule]:
    return MappingRule.objects.select_related("territory", "family", "created_by")
