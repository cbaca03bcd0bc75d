"""The only code that changes CRM data: the connection, syncs, hand mapping, rates.

Each function checks the permission, writes in one transaction and records the audit
event. Deals are stored by `deals_store`, which the sync and the deal upload share, so a
deal lands the same way whichever door it came through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from crm import selectors
from crm.mapping import MappedDeal, MappingContext, Refused, map_deal, value_in
from crm.models import CrmConnection, CrmStage, CurrencyRate, Deal, DealLine, MappingRule, SyncRun
from crm.sources import CrmSource, SourceError, source_for
from crm.tokens import token_encrypt, token_of
from sop_planner.background import publish
from sop_planner.errors import DomainError

SOURCE = "zendesk_sell"
DEAL_FIELDS = [
    "name",
    "organization",
    "organization_region",
    "owner_name",
    "owner_email",
    "status",
    "likelihood",
    "expected_close",
    "closed_on",
    "value",
    "currency",
    "value_company",
    "tags",
    "territory_id",
    "family_id",
    "mapped_by",
    "updated_upstream",
]


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)


@transaction.atomic
def connection_save(
    *, actor: User, base_url: str, token: str = "", enabled: bool = True, source: str = SOURCE
) -> CrmConnection:
    """Create or change the connection; an empty token keeps the stored one."""
    ensure_allowed(actor, "crm.connect")
    connection = CrmConnection.objects.filter(source=source).first()
    before = _connection_fields(connection) if connection else None
    if connection is None:
        connection = CrmConnection(source=source, created_by=actor)
    connection.base_url, connection.enabled = base_url, enabled
    if token:
        connection.token_encrypted = token_encrypt(token)
    connection.full_clean()
    connection.save()
    after = _connection_fields(connection) | {"token_changed": bool(token)}
    audit_record(
        actor=actor, action="crm.connection.save", obj=connection, before=before, after=after
    )
    return connection


def _connection_fields(connection: CrmConnection) -> dict[str, Any]:
    """What the audit shows of a connection: never the token."""
    return {"base_url": connection.base_url, "enabled": connection.enabled}


@transaction.atomic
def sync_request(*, actor: User, source: str = SOURCE) -> SyncRun:
    """Queue a sync (the "Sync now" button); a worker runs it."""
    ensure_allowed(actor, "crm.sync")
    connection = CrmConnection.objects.filter(source=source).first()
    if connection is None:
        raise DomainError("The CRM is not connected yet: save its address and token first.")
    return _queue(connection, started_by=actor)


def syncs_nightly() -> list[int]:
    """Queue a sync of every enabled connection not already syncing (Celery beat, at night)."""
    queued = []
    for connection in CrmConnection.objects.filter(enabled=True):
        try:
            with transaction.atomic():
                queued.append(_queue(connection, started_by=None).pk)
        except DomainError:
            continue  # a sync is already on its way: tonight's adds nothing
    return queued


def _queue(connection: CrmConnection, *, started_by) -> SyncRun:
    busy = connection.runs.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING])
    if busy.exists():
        raise DomainError("A sync of the CRM is already queued or running: wait for its result.")
    run = SyncRun.objects.create(connection=connection, started_by=started_by)
    transaction.on_commit(lambda: _publish(run.pk))
    return run


def _publish(run_id: int) -> None:
    from crm.tasks import crm_sync_task

    publish(
        lambda: crm_sync_task.delay(run_id),
        on_failure=lambda words: SyncRun.objects.filter(pk=run_id).update(
            status=SyncRun.Status.FAILED, error=words, finished_at=timezone.now()
        ),
    )


def sync_execute(*, run_id: int, source: CrmSource | None = None) -> SyncRun:
    """Run a queued sync: stages, then deals changed since the last sync, then deletions.

    Everything is written in one transaction: a CRM that fails half-way changes nothing,
    and the next sync starts again from the same point.
    """
    run = SyncRun.objects.select_related("connection").get(pk=run_id)
    if run.status != SyncRun.Status.QUEUED:
        return run  # a redelivered task: the run already went its way
    run.status, run.started_at = SyncRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        adapter = source or _source_of(run.connection)
        with transaction.atomic():
            _sync(run, adapter)
    except (SourceError, DomainError) as error:
        run.status, run.error = SyncRun.Status.FAILED, str(error)
    except (ValueError, KeyError, TypeError) as error:  # an answer not shaped as documented
        run.status = SyncRun.Status.FAILED
        run.error = f"The CRM answered something this connector cannot read ({error!r}); nothing was changed."
    else:
        run.status = SyncRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


def _source_of(connection: CrmConnection) -> CrmSource:
    return source_for(
        connection.source, base_url=connection.base_url, token=token_of(connection.token_encrypted)
    )


def _sync(run: SyncRun, adapter: CrmSource) -> None:
    connection = run.connection
    stages_store(source=connection.source, stages=adapter.stages(), actor=run.started_by)
    context = selectors.mapping_context(source=connection.source)
    records = list(adapter.deals_changed_since(connection.synced_until))
    result = deals_store(records, context=context, source=connection.source, actor=run.started_by)
    run.deleted = _mark_deleted(connection.source, adapter)
    run.created, run.updated, run.unchanged = result.created, result.updated, result.unchanged
    run.refused = result.refused
    newest = max((u for u in map(_updated, records) if u), default=None)
    if newest and (connection.synced_until is None or newest > connection.synced_until):
        connection.synced_until = newest
        connection.save(update_fields=["synced_until", "updated_at"])
    audit_record(
        actor=run.started_by,
        action="crm.sync",
        obj=run,
        after={
            "created": run.created,
            "updated": run.updated,
            "deleted": run.deleted,
            "unchanged": run.unchanged,
            "refused": len(run.refused),
        },
    )


def _updated(record: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(record.get("updated_at")).replace("Z", "+00:00"))
    except ValueError:
        return None


def stages_store(*, source: str, stages: list[dict[str, Any]], actor: User | None) -> None:
    """Keep the CRM's stage list; a changed likelihood is recorded."""
    for stage in stages:
        row, created = CrmStage.objects.get_or_create(
            source=source,
            external_id=stage["id"],
            defaults={
                key: stage[key] for key in ("name", "position", "likelihood", "is_won", "is_lost")
            },
        )
        if created or row.likelihood == stage["likelihood"]:
            continue
        before = {"likelihood": str(row.likelihood)}
        row.likelihood = stage["likelihood"]
        row.save(update_fields=["likelihood"])
        audit_record(
            actor=actor,
            action="crm.stage.likelihood",
            obj=row,
            before=before,
            after={"likelihood": str(row.likelihood)},
        )


def deals_store(
    records: list[dict[str, Any]],
    *,
    context: MappingContext,
    source: str,
    actor: User | None = None,
    upload=None,
) -> StoreResult:
    """Map each record and create or update its deal; a refused record changes nothing.
    Call inside a transaction."""
    result = StoreResult()
    stages = {s.external_id: s for s in CrmStage.objects.filter(source=source)}
    for record in records:
        try:
            mapped = map_deal(record, context)
        except Refused as refusal:
            result.refused.append({"id": str(record.get("id") or ""), "reason": str(refusal)})
            continue
        outcome = _deal_store(
            mapped, stages, source=source, actor=actor, upload=upload, with_lines="lines" in record
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.refused.extend({"id": mapped.external_id, "reason": n} for n in mapped.notes)
    return result


def _deal_store(
    mapped: MappedDeal, stages, *, source: str, actor: User | None, upload, with_lines: bool = True
) -> str:
    """Create or update one deal; a record without line items (an export) keeps the
    deal's lines."""
    values = dict(mapped.fields)
    values["stage"] = stages[values.pop("stage_external_id")]
    deal = Deal.objects.filter(source=source, external_id=mapped.external_id).first()
    if deal is None:
        deal = Deal.objects.create(
            source=source, external_id=mapped.external_id, upload=upload, **values
        )
        _lines_store(deal, mapped)
        return "created"
    if deal.mapped_by == "hand" and values["territory_id"] is None:
        values.update(territory_id=deal.territory_id, mapped_by="hand")
    if deal.mapped_by == "hand" and values["family_id"] is None:
        values["family_id"] = deal.family_id
    before = {name: getattr(deal, name) for name in DEAL_FIELDS} | {"stage": deal.stage_id}
    after = {name: values[name] for name in DEAL_FIELDS} | {"stage": values["stage"].pk}
    lines_changed = with_lines and _lines_of(deal) != _mapped_lines(mapped)
    changed = before != after or deal.deleted_upstream or lines_changed
    if not changed:
        return "unchanged"
    if before["territory_id"] != after["territory_id"]:
        _audit_move(deal, before["territory_id"], after["territory_id"], actor)
    for name, value in values.items():
        setattr(deal, name, value)
    deal.deleted_upstream = False
    deal.save()
    if with_lines:
        _lines_store(deal, mapped)
    return "updated"


def _audit_move(deal: Deal, before: int | None, after: int | None, actor: User | None) -> None:
    audit_record(
        actor=actor,
        action="crm.deal.territory",
        obj=deal,
        before={"territory_id": before},
        after={"territory_id": after},
        reason="synced from the CRM",
        territory_id=after,
    )


def _lines_of(deal: Deal) -> list[tuple]:
    return sorted(
        (line.external_id, line.sku, line.product_id, line.quantity, line.unit_price)
        for line in deal.lines.all()
    )


def _mapped_lines(mapped: MappedDeal) -> list[tuple]:
    return sorted(
        (ln.external_id, ln.sku, ln.product_id, ln.quantity, ln.unit_price) for ln in mapped.lines
    )


def _lines_store(deal: Deal, mapped: MappedDeal) -> None:
    deal.lines.all().delete()
    DealLine.objects.bulk_create(
        DealLine(
            deal=deal,
            external_id=line.external_id,
            sku=line.sku,
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in mapped.lines
    )


def _mark_deleted(source: str, adapter: CrmSource) -> int:
    held = set(
        Deal.objects.filter(
            source=source, deleted_upstream=False, upload__isnull=True
        ).values_list("external_id", flat=True)
    )
    gone = held - adapter.existing_ids(sorted(held))
    return Deal.objects.filter(source=source, external_id__in=gone).update(deleted_upstream=True)


@transaction.atomic
def deal_map(
    *,
    actor: User,
    deal_id: int,
    territory_id: int | None,
    family_id: int | None,
    remember: str = "",
) -> Deal:
    """Place a deal by hand; `remember` ("owner" or "organization") also creates a rule so
    the next deals of that owner or organization land there by themselves."""
    ensure_allowed(actor, "crm.map")
    if territory_id is None and family_id is None:
        raise DomainError("Choose a territory, a family, or both.")
    deal = Deal.objects.select_for_update().get(pk=deal_id)
    before = {"territory_id": deal.territory_id, "family_id": deal.family_id}
    deal.territory_id = territory_id or deal.territory_id
    deal.family_id = family_id or deal.family_id
    deal.mapped_by = "hand"
    deal.save(update_fields=["territory", "family", "mapped_by", "synced_at"])
    after = {"territory_id": deal.territory_id, "family_id": deal.family_id}
    audit_record(
        actor=actor,
        action="crm.deal.map",
        obj=deal,
        before=before,
        after=after,
        territory_id=deal.territory_id,
    )
    if remember:
        rule_create(
            actor=actor, deal=deal, field=remember, territory_id=territory_id, family_id=family_id
        )
    return deal


def rule_create(
    *, actor: User, deal: Deal, field: str, territory_id: int | None, family_id: int | None
) -> MappingRule:
    """A rule from a hand-mapped deal: its owner's e-mail or its organization."""
    ensure_allowed(actor, "crm.map")
    value = {"owner": deal.owner_email, "organization": deal.organization}.get(field)
    if not value:
        raise DomainError(f"This deal has no {field} to remember.")
    rule, _ = MappingRule.objects.update_or_create(
        field=field,
        value=value.lower() if field == "owner" else value,
        defaults={"territory_id": territory_id, "family_id": family_id, "created_by": actor},
    )
    audit_record(
        actor=actor,
        action="crm.rule.save",
        obj=rule,
        after={
            "field": field,
            "value": rule.value,
            "territory_id": territory_id,
            "family_id": family_id,
        },
    )
    return rule


@transaction.atomic
def rate_save(*, actor: User, currency: str, valid_from: date, rate: Decimal) -> CurrencyRate:
    """Set the rate of a currency from a month on, then convert the open deals it reaches."""
    ensure_allowed(actor, "crm.rates")
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise DomainError(f"Currency {currency or '(empty)'} is not a 3-letter code.")
    if rate <= 0:
        raise DomainError(f"The rate of {currency} must be above zero; {rate} was entered.")
    month = valid_from.replace(day=1)
    row = CurrencyRate.objects.filter(currency=currency, valid_from=month).first()
    before = {"rate": str(row.rate)} if row else None
    row = row or CurrencyRate(currency=currency, valid_from=month, created_by=actor)
    row.rate = rate
    row.save()
    audit_record(
        actor=actor, action="crm.rate.save", obj=row, before=before, after={"rate": str(rate)}
    )
    deals_convert(currency=currency)
    return row


def deals_convert(*, currency: str) -> int:
    """Convert again the deals of a currency at the rates now known."""
    known = selectors.currency_rates().get(currency, [])
    changed = 0
    for deal in Deal.objects.filter(currency=currency):
        month = (deal.expected_close or date.today()).replace(day=1)
        value = value_in(deal.value, known, month)
        if value != deal.value_company:
            Deal.objects.filter(pk=deal.pk).update(value_company=value)
            changed += 1
    return changed
