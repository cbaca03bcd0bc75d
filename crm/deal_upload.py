"""CRM deals from a Zendesk Sell export (CSV or XLSX), through the uploads pipeline.

Each row is one deal, checked by the same mapper as the connector; a row the mapper refuses
is a rejected row in its words. The preview keeps, per deal, what is stored now and what
the row would make of it; the commit writes through crm.services.deals_store (as a sync
does), after checking nothing moved since the preview; a revert deletes the deals the
upload created and puts back the fields of those it changed (line items, which an export
does not carry, are never touched).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

from crm import selectors
from crm.mapping import CENT, MappingContext, Refused, map_deal
from crm.models import CrmStage, Deal
from crm.services import DEAL_FIELDS, SOURCE, deals_store
from sop_planner.errors import Conflict
from sop_planner.numbers import Convention, NotANumber, read_number
from uploads.columns import KindSpec
from uploads.masterdata import stale_preview, validate_rows
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import Rejection

KIND = "crm_deals"
SPEC = KindSpec(
    KIND,
    "CRM deals (Zendesk Sell export)",
    ("id", "name", "stage", "value", "currency", "updated_at"),
    (
        "organization",
        "organization_region",
        "owner_name",
        "owner_email",
        "likelihood",
        "expected_close",
        "tags",
    ),
    ("1001", "Spring order", "Qualified", "1200.00", "EUR", "2027-01-10T08:00:00Z", "Acme",
     "north-east", "Rita Rep", "rita@example.com", "", "2027-03-15", "bev"),
    "deal by its CRM id, stage by name, dates as YYYY-MM-DD, tags separated by commas",
)  # fmt: skip
# The saved column mapping "Zendesk Sell export": the export's headers -> our fields.
ZENDESK_EXPORT_COLUMNS = {
    "ID": "id",
    "Name": "name",
    "Stage": "stage",
    "Value": "value",
    "Currency": "currency",
    "Updated At": "updated_at",
    "Organization": "organization",
    "Organization Region": "organization_region",
    "Owner": "owner_name",
    "Owner Email": "owner_email",
    "Win Likelihood": "likelihood",
    "Estimated Close Date": "expected_close",
    "Tags": "tags",
}
EXPORT_MAPPING_NAME = "Zendesk Sell export"
# Which column a refusal is about, by the words the mapper uses.
COLUMN_OF = (
    ("has no id", "id"),
    ("unknown stage", "stage"),
    ("expected close date", "expected_close"),
    ("win likelihood", "likelihood"),
    ("currency", "currency"),
    ("updated_at", "updated_at"),
    ("value", "value"),
)


def validate(batch: UploadBatch, chunks, decimal_comma: bool, save_chunk) -> None:
    rules = _Rules(decimal_comma)
    validate_rows(batch, chunks, lambda row, record: rules.check(batch, row, record), save_chunk)
    batch.save()


class _Rules:
    """What a deal row is checked against, read once per file."""

    def __init__(self, decimal_comma: bool) -> None:
        self.convention = Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT
        self.context: MappingContext = selectors.mapping_context(source=SOURCE)
        self.stages = {
            stage.name.lower(): stage.external_id
            for stage in CrmStage.objects.filter(source=SOURCE)
        }
        self.seen: dict[str, int] = {}

    def check(self, batch, row: int, record: dict) -> tuple[list[Rejection], UploadChange | None]:
        deal_record, problem = self._record(record)
        if problem is None:
            try:
                mapped = map_deal(deal_record, self.context)
            except Refused as refusal:
                problem = (_column_of(str(refusal)), str(refusal))
        key = str(record.get("id", "")).strip()
        if problem is None and key in self.seen:
            problem = ("id", f"duplicate of row {self.seen[key]} (same deal id)")
        if problem is not None:
            column, reason = problem
            return [Rejection(row, column, str(record.get(column, "")), reason)], None
        self.seen[key] = row
        before = snapshot(Deal.objects.filter(source=SOURCE, external_id=key).first())
        after = _kept_by_hand(_json(mapped.fields, mapped.fields["stage_external_id"]), before)
        change = UploadChange(
            batch=batch,
            row_number=row,
            key=key,
            before=before,
            after={**after, "record": deal_record},
            unchanged=before == after,
        )
        return [], change

    def _record(self, record: dict) -> tuple[dict[str, Any], tuple[str, str] | None]:
        """The row as the mapper reads it; or the column and words of what is wrong."""
        stage = str(record.get("stage", "")).strip()
        if stage.lower() not in self.stages:
            known = ", ".join(sorted(self.stages)) or "none yet: sync the CRM once"
            return {}, ("stage", f"unknown stage '{stage}' (the CRM's stages: {known})")
        values = {k: str(v).strip() for k, v in record.items() if v is not None}
        try:
            for field in ("value", "likelihood"):
                if values.get(field):
                    values[field] = str(read_number(values[field], self.convention))
        except NotANumber as error:
            return {}, (field, f"{values[field]} {error}")
        values["stage_id"] = self.stages[stage.lower()]
        values["tags"] = [tag.strip() for tag in values.get("tags", "").split(",") if tag.strip()]
        return values, None


def _column_of(reason: str) -> str:
    return next((column for words, column in COLUMN_OF if words in reason), "id")


def snapshot(deal: Deal | None) -> dict[str, Any] | None:
    """A stored deal's fields as JSON, to compare with a row and to revert to."""
    if deal is None:
        return None
    fields = {name: getattr(deal, name) for name in DEAL_FIELDS}
    return _json(fields, deal.stage.external_id)


def _json(fields: dict[str, Any], stage: str) -> dict[str, Any]:
    values = {name: _text(value) for name, value in fields.items() if name in DEAL_FIELDS}
    return values | {"stage": stage}


def _text(value: Any) -> Any:
    """JSON-safe; a Decimal to its column's 2 places (exact: the mapper allows no more)."""
    if value is None or isinstance(value, list):
        return value
    return str(value.quantize(CENT) if isinstance(value, Decimal) else value)


def _kept_by_hand(after: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    """A deal mapped by hand keeps its territory and family where the row finds none (as
    the sync keeps them)."""
    if before is None or before["mapped_by"] != "hand":
        return after
    kept = {"territory_id": before["territory_id"], "mapped_by": "hand"}
    if after["territory_id"] is not None:
        kept = {}
    if after["family_id"] is None:
        kept["family_id"] = before["family_id"]
    return after | kept


def apply(batch: UploadBatch) -> int:
    """Write the deals, once every row still finds what the preview compared against."""
    changes = list(batch.changes.all())
    stored = {
        deal.external_id: snapshot(deal)
        for deal in Deal.objects.filter(source=SOURCE, external_id__in=[c.key for c in changes])
    }
    moved = [
        f"row {c.row_number} (deal {c.key}): changed since you previewed"
        for c in changes
        if stored.get(c.key) != c.before
    ]
    if moved:
        raise Conflict(stale_preview(batch, moved))
    written = [c.after["record"] for c in changes if not c.unchanged]
    context = selectors.mapping_context(source=SOURCE)
    deals_store(written, context=context, source=SOURCE, actor=batch.committed_by, upload=batch)
    return len(written)


def undo(batch: UploadBatch) -> None:
    """Delete the deals the upload created; put back the fields of those it changed."""
    for change in batch.changes.filter(unchanged=False):
        deal = Deal.objects.filter(source=SOURCE, external_id=change.key).first()
        wrote = {k: v for k, v in change.after.items() if k != "record"}
        if deal is None or snapshot(deal) != wrote:
            raise Conflict(f"Deal {change.key} changed since this upload; it cannot be reverted.")
        if change.before is None:
            deal.delete()
        else:
            _restore(deal, change.before)


def _restore(deal: Deal, values: dict[str, Any]) -> None:
    deal.stage = CrmStage.objects.get(source=SOURCE, external_id=values["stage"])
    for name, value in values.items():
        if name == "stage":
            continue
        field = Deal._meta.get_field(name.removesuffix("_id"))
        setattr(deal, name, value if isinstance(value, list) else field.to_python(value))
    deal.save()


def register() -> None:
    """Declare the kind to the uploads app (crm's AppConfig.ready calls it)."""
    from uploads.kinds import register_row_kind

    register_row_kind(SPEC, module=sys.modules[__name__], action="crm.sync")
