"""Products, territories and prices through the upload mechanism.

Master data files are small (thousands of rows), so rows are checked one by
one; each row that would change something is kept as an UploadChange with
its values before and after, written at commit through the owning app's
audited save, and restored at revert.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.typing import User
from audit.models import AuditEvent
from audit.services import audited_save
from cycles.calendar import read_month
from products.models import PRODUCT_FIELDS, Product, ProductFamily
from sop_planner.errors import Conflict, DomainError
from sop_planner.numbers import Convention, read_number
from territories.models import Region, Territory
from uploads.models import UploadBatch, UploadChange
from uploads.outcomes import Rejection

TRUE = {"yes", "y", "true", "1", "active", "x"}
FALSE = {"no", "n", "false", "0", "inactive", ""}


@dataclass(frozen=True)
class Target:
    model: type[Model]
    key: str
    fields: tuple[str, ...]  # model fields kept in before/after
    action: str

    def snapshot(self, obj) -> dict | None:
        if obj is None:
            return None
        values = {}
        for name in self.fields:
            value = getattr(obj, name)
            values[name] = _text(value.code if name in ("family", "region") else value)
        return values


def _text(value) -> str | bool | None:
    if value is None or isinstance(value, bool):
        return value
    if hasattr(value, "strftime"):
        return value.isoformat()
    return str(value)


TARGETS = {
    "products": Target(
        Product,
        "sku",
        PRODUCT_FIELDS,
        "products.upload",
    ),
    "prices": Target(Product, "sku", ("sku", "unit_price", "unit_cost"), "prices.upload"),
    "territories": Target(
        Territory, "code", ("code", "name", "region", "is_active"), "territories.upload"
    ),
}


def _money(value: str, decimal_comma: bool) -> Decimal:
    """A price in the file's convention: `32,30` in a `,` file is refused, not read as 3230."""
    convention = Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT
    number = read_number(value, convention)
    cents = number.quantize(Decimal("0.01")) if number < Decimal("1e10") else None
    if number < 0 or cents != number:  # 12.345 is refused, never rounded to 12.34
        raise InvalidOperation
    return cents


def _month(value: str) -> str | None:
    if not value:
        return None
    return f"{read_month(value):%Y-%m-%d}"  # NotAMonth is a ValueError


def _parse(kind: str, record: dict, refs: dict, decimal_comma: bool) -> tuple[dict, list]:
    """A row's values in snapshot form, and its problems (column, reason)."""
    values, problems = {}, []

    def take(column: str, field: str, convert: Callable, reason: str) -> None:
        if column not in record:
            return
        try:
            values[field] = convert(record[column])
        except (ValueError, InvalidOperation, KeyError):
            problems.append((column, reason))

    key = "code" if kind == "territories" else "sku"
    if not record.get(key):
        problems.append((key, f"the {key} is missing"))
    take("name", "name", _required_text(200), "the name is missing or longer than 200 characters")
    money = lambda v: str(_money(v, decimal_comma))  # noqa: E731
    written = Convention.DECIMAL_COMMA if decimal_comma else Convention.DECIMAL_POINT
    take(
        "unit_price",
        "unit_price",
        money,
        f"not a price (a number, 0 or more, at most 2 decimals, with a {written.value})",
    )
    take(
        "unit_cost",
        "unit_cost",
        money,
        f"not a cost (a number, 0 or more, at most 2 decimals, with a {written.value})",
    )
    take("family", "family", lambda v: refs["family"][v.lower()], "unknown product family code")
    take("region", "region", lambda v: refs["region"][v.lower()], "unknown region code")
    take("launch_month", "launch_month", _month, "not a month: write it as YYYY-MM")
    take("discontinued_month", "discontinued_month", _month, "not a month: write it as YYYY-MM")
    take("active", "is_active", _flag, "write yes or no")
    if (
        kind == "territories"
        and record.get("code")
        and not re.fullmatch(r"[-a-zA-Z0-9_]{1,20}", record["code"])
    ):
        problems.append(("code", "a code is up to 20 letters, digits, - or _"))
    return values, problems


def _required_text(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value or len(value) > limit:
            raise ValueError
        return value

    return check


def _flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError


def _references() -> dict:
    return {
        "family": {
            code.lower(): code for code in ProductFamily.objects.values_list("code", flat=True)
        },
        "region": {code.lower(): code for code in Region.objects.values_list("code", flat=True)},
    }


def validate(batch: UploadBatch, chunks, decimal_comma: bool, save_chunk) -> None:
    target = TARGETS[batch.kind]
    related = ["family"] if target.model is Product else ["region"]
    existing = {
        getattr(obj, target.key).upper(): target.snapshot(obj)
        for obj in target.model.objects.select_related(*related)  # type: ignore[attr-defined]  # every target model has `objects`
    }
    refs = _references()
    seen: dict[str, int] = {}  # a key, upper case -> the row it first came on

    def check(row: int, record: dict):
        return _check_row(batch, target, row, record, refs, existing, seen, decimal_comma)

    validate_rows(batch, chunks, check, save_chunk)
    batch.save()


RowCheck = Callable[[int, dict], tuple[list, UploadChange | None]]


def validate_rows(batch: UploadBatch, chunks, check: RowCheck, save_chunk) -> QuerySet:
    """Check every row of every chunk and keep the changes: the preview of a row-by-row kind.

    `check(row, record)` returns the row's problems and its change (one marked
    `unchanged` is kept to be checked at commit; None: nothing to check). Counts and
    status are set on the batch, which the caller saves; returns the kept changes.
    """
    for header, chunk, cells in chunks:
        batch.rows_read += len(chunk)
        rejections, changes = [], []
        for row, record in zip(cells.index, cells.to_dict("records"), strict=True):
            problems, change = check(int(row), record)
            if problems:
                rejections.extend(problems)
                batch.rejected_count += 1
                continue
            if change is None or change.unchanged:
                batch.unchanged_count += 1
            if change is not None:
                changes.append(change)
        with transaction.atomic():
            UploadChange.objects.bulk_create(changes)
            save_chunk(batch, header, chunk, rejections, validated=len(chunk))
    kept = UploadChange.objects.filter(batch=batch, unchanged=False)
    batch.new_count = kept.filter(before__isnull=True).count()
    batch.changed_count = kept.count() - batch.new_count
    batch.status = UploadBatch.Status.PREVIEWED
    return kept


def _check_row(batch, target, row, record, refs, existing, seen, decimal_comma):
    values, problems = _parse(batch.kind, record, refs, decimal_comma)
    key = record.get(target.key, "")
    if key and key.upper() in seen:
        problems.append((target.key, f"duplicate of row {seen[key.upper()]}"))
    before = existing.get(key.upper()) if key else None
    if batch.kind == "prices" and key and before is None:
        problems.append(("sku", "unknown SKU"))
    if batch.kind != "prices" and before is None:
        values.setdefault("is_active", True)
    if problems:
        return [Rejection(int(row), c, record.get(c, ""), r) for c, r in problems], None
    seen[key.upper()] = row
    blank = dict.fromkeys(target.fields)
    after = {**(before or blank), **values, target.key: before[target.key] if before else key}
    return None, UploadChange(
        batch=batch, row_number=row, key=key, before=before, after=after, unchanged=after == before
    )


def apply(batch: UploadBatch) -> int:
    """Write each change through the audited save, once every row of the preview (the
    unchanged ones too) still holds what the preview compared against."""
    target = TARGETS[batch.kind]
    rows = [(change, _current(target, change.key)) for change in batch.changes.all()]
    moved = [(c, obj) for c, obj in rows if target.snapshot(obj) != c.before]
    if moved:
        raise Conflict(stale_preview(batch, [_moved(target, c, obj) for c, obj in moved]))
    written = 0
    for change, obj in rows:
        if not change.unchanged:
            _save(batch, target, obj or target.model(), change.after, actor=batch.committed_by)
            written += 1
    return written


def stale_preview(batch: UploadBatch, moved: list[str], *, shown: int = 10) -> str:
    """The refusal of a commit whose preview went stale, naming the rows that moved."""
    more = f" (and {len(moved) - shown} more)" if len(moved) > shown else ""
    return (
        f"{len(moved)} row(s) of {batch.file_name} changed since you previewed: "
        f"{'; '.join(moved[:shown])}{more}. Nothing was written: preview again."
    )


def _moved(target: Target, change: UploadChange, obj) -> str:
    """'row 3 (SKU-1): unit_price was 10.00 when you previewed, now 12.00 by Sam at 10:42'."""
    now = target.snapshot(obj)
    if now is None:
        what = "deleted since you previewed"
    elif change.before is None:
        what = "absent when you previewed, now created"
    else:
        field = next(name for name in target.fields if now[name] != change.before[name])
        what = f"{field} was {change.before[field]} when you previewed, now {now[field]}"
    return f"row {change.row_number} ({change.key}): {what}{_by_whom(obj)}"


def _by_whom(obj) -> str:
    if obj is None:
        return ""
    event = (
        AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None or event.actor is None:
        return ""
    return f" by {event.actor.get_full_name() or event.actor} at {timezone.localtime(event.created_at):%H:%M}"


def undo(batch: UploadBatch) -> None:
    target = TARGETS[batch.kind]
    for change in batch.changes.filter(unchanged=False):
        obj = _current(target, change.key)
        if target.snapshot(obj) != change.after:
            raise Conflict(f"{change.key} was changed since this upload; it cannot be reverted.")
        if change.before is None:
            _remove(obj, batch)
        else:
            _save(batch, target, obj, change.before, actor=batch.reverted_by)


def _current(target: Target, key: str):
    return target.model.objects.filter(**{f"{target.key}__iexact": key}).first()  # type: ignore[attr-defined]  # every target model has `objects`


def _save(batch, target: Target, obj, values: dict, *, actor: User | None) -> None:
    for name, value in values.items():
        if name == "family":
            obj.family = ProductFamily.objects.get(code=value)
        elif name == "region":
            obj.region = Region.objects.get(code=value)
        else:
            setattr(obj, name, value)
    try:
        audited_save(
            actor=actor,
            instance=obj,
            fields=list(target.fields),
            action=target.action,
            reason=f"upload #{batch.pk} {batch.file_name}",
        )
    except Exception as error:
        raise DomainError(f"{values.get(target.key)}: {error}") from error


def _remove(obj, batch: UploadBatch) -> None:
    try:
        obj.delete()
    except Exception as error:  # ProtectedError: sales or plans refer to it
        raise DomainError(
            f"{obj} was created by {batch} but is now used by other data; deactivate it instead."
        ) from error
