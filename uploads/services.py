"""The only code that changes uploads and the data they bring: preview, commit, revert."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.permissions import ensure_allowed
from audit.services import audit_record
from cycles.calendar import month_index
from cycles.models import Cycle
from products.models import Product
from sop_planner import background
from sop_planner.errors import Conflict, DomainError
from territories.models import Territory
from uploads import hooks, staging, storage
from uploads.access import ensure_may_handle
from uploads.columns import KINDS, resolve_columns
from uploads.kinds import ROW_KINDS, row_kind
from uploads.models import ColumnMapping, UploadBatch, UploadRow
from uploads.outcomes import ColumnsMissing, FileRefused
from uploads.selectors import KIND_ACTIONS, closed_through

Status = UploadBatch.Status


class MappingNeeded(DomainError):
    """The file lacks required columns; the user can map its columns."""

    def __init__(self, message: str, *, missing: list[str], headers: list[str]) -> None:
        super().__init__(message, items=missing)
        self.missing = missing
        self.headers = headers


def upload_preview(
    *,
    actor,
    file: BinaryIO,
    file_name: str,
    kind: str,
    sheet: str = "",
    mapping: dict[str, str] | None = None,
    mapping_name: str = "",
    allow_mapping: bool = False,
    today: date | None = None,
) -> UploadBatch:
    """Store and validate a file as a whole; nothing but the preview is written.

    A small file is validated now; a big one (over UPLOAD_BACKGROUND_BYTES) by a
    worker, the page following its progress. A refused file leaves no trace;
    with `allow_mapping`, a file lacking columns waits for a column mapping.
    """
    if kind not in KINDS:
        raise DomainError(f"Unknown kind of upload '{kind}'; choose one of {', '.join(KINDS)}.")
    ensure_allowed(actor, KIND_ACTIONS[kind])
    columns = _mapping_columns(mapping, mapping_name, kind)
    batch = _stored_batch(actor, file, file_name, kind=kind, sheet=sheet, columns=columns)
    try:
        return _previewed(batch, allow_mapping=allow_mapping, today=today)
    except Exception:
        storage.discard(batch.stored_path)  # a refused file leaves no trace, on disk either
        raise


def _previewed(batch: UploadBatch, *, allow_mapping: bool, today: date | None) -> UploadBatch:
    try:
        _check_columns(batch)
    except ColumnsMissing as missing:
        if not allow_mapping:
            raise MappingNeeded(
                str(missing), missing=missing.missing, headers=missing.headers
            ) from missing
        batch.status = Status.NEEDS_MAPPING
        batch.error = str(missing)
        batch.save()
        return batch
    except FileRefused as refused:
        raise DomainError(str(refused)) from refused
    return _start_validation(batch, today=today)


def _stored_batch(actor, file, file_name: str, **fields) -> UploadBatch:
    """The file on disk, and its batch (not saved yet): big files go to a worker."""
    relative, checksum, size = storage.store(file, file_name)
    return UploadBatch(
        file_name=file_name[:255],
        stored_path=relative,
        checksum=checksum,
        size=size,
        mapping=fields.pop("columns"),
        created_by=actor,
        background=size > settings.UPLOAD_BACKGROUND_BYTES,
        **fields,
    )


def _mapping_columns(mapping: dict | None, mapping_name: str, kind: str) -> dict[str, str]:
    if not mapping_name:
        return dict(mapping or {})
    saved = ColumnMapping.objects.filter(name=mapping_name).first()
    if saved is None:
        raise DomainError(f"There is no saved column mapping named '{mapping_name}'.")
    if saved.kind != kind:
        raise DomainError(f"The mapping '{mapping_name}' is for {saved.kind}, not {kind}.")
    return {**saved.columns, **(mapping or {})}


def _check_columns(batch: UploadBatch) -> None:
    from uploads.parsing import detect_format, read_header  # pandas: only when a file is read

    path = storage.path_of(batch.stored_path)
    fmt = detect_format(path, batch.file_name, storage.limits())
    header = read_header(path, batch.file_name, fmt, sheet=batch.sheet)
    resolve_columns(header, KINDS[batch.kind], file_name=batch.file_name, mapping=batch.mapping)


def _start_validation(batch: UploadBatch, *, today: date | None) -> UploadBatch:
    from uploads.pipeline import validate_batch  # pandas: only when a file is checked

    if batch.background:
        batch.status = Status.QUEUED
        batch.queued_at = timezone.now()
        batch.save()
        transaction.on_commit(lambda: _publish_validation(batch.pk))
        return batch
    try:
        with transaction.atomic():
            batch.status = Status.VALIDATING
            batch.save()
            validate_batch(batch, today=today)
    except FileRefused as refused:
        raise DomainError(str(refused)) from refused
    return batch


@transaction.atomic
def upload_map(
    *, actor, batch_id: int, columns: dict[str, str], save_as: str = "", today: date | None = None
) -> UploadBatch:
    """Read a file's columns through a mapping (saved under a name, if given), then validate."""
    batch = _locked(batch_id)
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="map")
    if batch.status != Status.NEEDS_MAPPING:
        raise Conflict(f"{batch} is {batch.get_status_display()}; its columns are already mapped.")
    batch.mapping = {name: field for name, field in columns.items() if field}
    try:
        _check_columns(batch)
    except FileRefused as refused:
        raise DomainError(str(refused)) from refused
    if save_as:
        mapping_save(actor=actor, name=save_as, kind=batch.kind, columns=batch.mapping)
    batch.error = ""
    return _start_validation(batch, today=today)


@transaction.atomic
def mapping_save(*, actor, name: str, kind: str, columns: dict[str, str]) -> ColumnMapping:
    """Remember how to read a differently named export, under a name people recognise."""
    ensure_allowed(actor, KIND_ACTIONS[kind])
    name = name.strip()
    if not name:
        raise DomainError("Give the mapping a name, e.g. 'Zendesk Sell export'.")
    unknown = sorted(set(columns.values()) - set(KINDS[kind].columns))
    if unknown:
        raise DomainError(f"{', '.join(unknown)}: not a column of {kind} uploads.")
    mapping, _ = ColumnMapping.objects.update_or_create(
        name=name, defaults={"kind": kind, "columns": columns, "created_by": actor}
    )
    audit_record(actor=actor, action="upload.mapping_save", obj=mapping, after=columns)
    return mapping


def _publish_validation(batch_id: int) -> None:
    from uploads.tasks import upload_validate_task

    background.publish(
        lambda: upload_validate_task.delay(batch_id),
        on_failure=lambda message: UploadBatch.objects.filter(
            pk=batch_id, status=Status.QUEUED
        ).update(status=Status.FAILED, error=f"{message} Upload the file again."),
    )


def _publish_write(batch_id: int) -> None:
    from uploads.tasks import upload_write_task

    background.publish(
        lambda: upload_write_task.delay(batch_id),
        on_failure=lambda message: UploadBatch.objects.filter(
            pk=batch_id, status=Status.COMMIT_QUEUED
        ).update(status=Status.PREVIEWED, error=f"{message} Commit again."),
    )


def uploads_sweep() -> int:
    """Publish again the batches that have waited too long for a worker (a lost publish).

    Validation and writing are safe to run twice: a write locks its batch and does
    nothing once written, and validation runs in one worker at a time.
    """
    stale = UploadBatch.objects.filter(queued_at__lt=background.stale_before())
    waiting = list(stale.filter(status=Status.QUEUED).values_list("pk", flat=True))
    writing = list(stale.filter(status=Status.COMMIT_QUEUED).values_list("pk", flat=True))
    for batch_id in waiting:
        _publish_validation(batch_id)
    for batch_id in writing:
        _publish_write(batch_id)
    return len(waiting) + len(writing)


def upload_validate(*, batch_id: int, today: date | None = None) -> UploadBatch:
    """Validate a queued batch (in a worker). Safe to run again after a crash."""
    with background.exclusive(f"upload-validate:{batch_id}") as mine:
        batch = UploadBatch.objects.get(pk=batch_id)
        if not mine:  # the same batch is being validated by another worker right now
            return batch
        return _validate(batch, today=today)


def _validate(batch: UploadBatch, *, today: date | None) -> UploadBatch:
    from uploads.pipeline import validate_batch

    if batch.status not in (Status.QUEUED, Status.VALIDATING):
        return batch
    batch.status = Status.VALIDATING
    batch.save(update_fields=["status"])
    try:
        validate_batch(batch, today=today)
    except FileRefused as refused:
        _fail(batch, str(refused))
    except Exception as error:
        _fail(
            batch, f"Validation stopped by an unexpected error ({error}); upload the file again."
        )
        raise
    return batch


def _fail(batch: UploadBatch, message: str) -> None:
    staging.clear(batch.pk)
    batch.rejections.all().delete()
    batch.status = Status.FAILED
    batch.error = message
    batch.save(update_fields=["status", "error"])


@transaction.atomic
def upload_commit(*, actor, batch_id: int, accept_partial: bool = False) -> UploadBatch:
    """Write a previewed file: only one without errors, or its valid rows when asked to."""
    batch = _locked(batch_id)
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="commit")
    if batch.status != Status.PREVIEWED:
        raise Conflict(
            f"{batch} is {batch.get_status_display()}; only a previewed upload can be committed."
        )
    if batch.rejected_count and not accept_partial:
        raise DomainError(
            f"{batch} has {batch.rejected_count} rejected row(s). Fix them and upload again, "
            "or commit the valid rows only (the rejected rows are then left out, and that is "
            "recorded)."
        )
    _ensure_scope(actor, batch)
    _ensure_open(batch, verb="committed")
    batch.committed_by = actor
    batch.partial = bool(batch.rejected_count)
    if batch.background:
        batch.status = Status.COMMIT_QUEUED
        batch.queued_at = timezone.now()
        batch.save(update_fields=["committed_by", "partial", "status", "queued_at"])
        transaction.on_commit(lambda: _publish_write(batch.pk))
        return batch
    return _write(batch)


def upload_write(*, batch_id: int) -> UploadBatch:
    """Write a batch queued for commit (in a worker): all of it in one transaction, or nothing."""
    try:
        with transaction.atomic():
            batch = _locked(batch_id)
            if batch.status != Status.COMMIT_QUEUED:
                return batch
            return _write(batch)
    except DomainError as refused:
        return _back_to_preview(batch_id, refused.message)
    except Exception as error:
        _back_to_preview(batch_id, f"Nothing was written: unexpected error ({error}).")
        raise


def _back_to_preview(batch_id: int, message: str) -> UploadBatch:
    """Writing failed and wrote nothing: the preview stands, with the reason."""
    UploadBatch.objects.filter(pk=batch_id).update(status=Status.PREVIEWED, error=message)
    return UploadBatch.objects.get(pk=batch_id)


def _write(batch: UploadBatch) -> UploadBatch:
    if batch.kind == "actuals":
        batch.rows_written = _write_actuals(batch)
        _announce_actuals(batch)
    else:
        batch.rows_written = _rows_kind(batch).apply(batch)
    batch.status = Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.error = ""
    batch.save()
    audit_record(
        actor=batch.committed_by,
        action=f"upload.{batch.kind}.commit",
        obj=batch,
        after=_summary(batch),
        reason=_partial_reason(batch),
    )
    return batch


def _write_actuals(batch: UploadBatch) -> int:
    staging.lock_actuals()
    later = _written_since(batch, batch.created_at)
    moved, rows = staging.moved_since_preview(batch.pk) if later else (0, [])
    if moved:
        shown = "; ".join(_moved_row(batch, row) for row in rows)
        more = f" (and {moved - len(rows)} more)" if moved > len(rows) else ""
        raise Conflict(
            f"{moved} row(s) of {batch.file_name} changed since you previewed: {shown}{more}. "
            "Nothing was written: preview again."
        )
    return staging.write(batch.pk)


def _moved_row(batch: UploadBatch, row: tuple) -> str:
    """'row 2 (SKU-1, T1, 2026-03): units were 120 when you previewed, now 999 by maria at
    10:42': the later upload that holds the row says who and when."""
    number, product_id, territory_id, period, units_then, revenue_then, units, revenue = row
    sku = Product.objects.filter(pk=product_id).values_list("sku", flat=True).first()
    code = Territory.objects.filter(pk=territory_id).values_list("code", flat=True).first()
    if units_then is None:
        change = f"absent when you previewed, now {_figure(units)} units"
    elif units is None:
        change = f"{_figure(units_then)} units when you previewed, now deleted"
    elif units != units_then:
        change = f"units were {_figure(units_then)} when you previewed, now {_figure(units)}"
    else:
        change = f"revenue was {_figure(revenue_then)} when you previewed, now {_figure(revenue)}"
    return f"row {number} ({sku}, {code}, {period:%Y-%m}): {change}{_by_whom(batch, row)}"


def _by_whom(batch: UploadBatch, row: tuple) -> str:
    _number, product_id, territory_id, period, *_figures = row
    written = (
        UploadRow.objects.filter(
            product_id=product_id,
            territory_id=territory_id,
            period=period,
            batch__kind=batch.kind,
            batch__committed_at__gte=batch.created_at,
        )
        .exclude(batch_id=batch.pk)
        .exclude(old_units=F("new_units"), old_revenue=F("new_revenue"))
        .select_related("batch__committed_by")
        .order_by("-batch__committed_at")
        .first()
    )
    author = written.batch.committed_by if written else None
    if author is None:
        return ""
    when = timezone.localtime(written.batch.committed_at)
    return f" by {author.get_full_name() or author} at {when:%H:%M}"


def _figure(value) -> str:
    return f"{value.normalize():,f}" if value is not None else "nothing"


def _partial_reason(batch: UploadBatch) -> str:
    if not batch.partial:
        return ""
    return f"Valid rows only: {batch.rejected_count} rejected row(s) left out."


def _summary(batch: UploadBatch) -> dict:
    return {
        "file_name": batch.file_name,
        "checksum": batch.checksum,
        "new": batch.new_count,
        "changed": batch.changed_count,
        "unchanged": batch.unchanged_count,
        "rejected": batch.rejected_count,
        "written": batch.rows_written,
        "periods": batch.periods,
    }


@transaction.atomic
def upload_revert(*, actor, batch_id: int, reason: str = "") -> UploadBatch:
    """Undo a committed batch as a whole, while none of its periods is closed."""
    batch = _locked(batch_id)
    _ensure_revertible(actor, batch)
    batch.reverted_by = actor
    _undo(batch)
    batch.status = Status.REVERTED
    batch.reverted_at = timezone.now()
    batch.save(update_fields=["status", "reverted_by", "reverted_at"])
    audit_record(
        actor=actor,
        action=f"upload.{batch.kind}.revert",
        obj=batch,
        before=_summary(batch),
        reason=reason,
    )
    return batch


def _ensure_revertible(actor, batch: UploadBatch) -> None:
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="revert")
    if batch.status != Status.COMMITTED:
        raise Conflict(
            f"{batch} is {batch.get_status_display()}; only a committed upload can be reverted."
        )
    _ensure_scope(actor, batch)
    _ensure_open(batch, verb="reverted")
    _ensure_plan_unlocked(batch)


def _ensure_plan_unlocked(batch: UploadBatch) -> None:
    """Plan figures (budget, supply inputs) of a released cycle are locked for good."""
    first = batch.changes.order_by("pk").first() if batch.kind in ROW_KINDS else None
    cycle_id = (first.after or {}).get("cycle") if first else None
    if cycle_id and Cycle.objects.filter(pk=cycle_id, status=Cycle.Status.RELEASED).exists():
        raise Conflict(f"{batch} wrote into a released cycle; its plan is locked.")


def upload_revert_refusal(*, actor, batch: UploadBatch) -> str | None:
    """Why this user cannot revert this upload now (None: they can): the page offers Revert only then.

    The checks of upload_revert before it touches a row; a later upload that changed
    the same rows is found only when reverting, and refused then.
    """
    try:
        _ensure_revertible(actor, batch)
    except DomainError as error:
        return error.message
    return None


def _undo(batch: UploadBatch) -> None:
    if batch.kind != "actuals":
        _rows_kind(batch).undo(batch)
        return
    staging.lock_actuals()
    later = _written_since(batch, batch.committed_at)
    moved = staging.moved_since_commit(batch.pk) if later else 0
    if moved:
        raise Conflict(
            f"{moved} row(s) written by {batch} were changed since (by a later upload). "
            "Revert that upload first."
        )
    staging.undo(batch.pk)
    _announce_actuals(batch)


def _announce_actuals(batch: UploadBatch) -> None:
    """After commit, tell the registered apps which months' actuals changed."""
    months = [date.fromisoformat(f"{period}-01") for period in batch.periods]
    transaction.on_commit(partial(hooks.actuals_changed_hooks, months=months))


def _rows_kind(batch: UploadBatch):
    """The module that writes and undoes a batch checked row by row (not actuals)."""
    return row_kind(batch.kind)


def _written_since(batch: UploadBatch, moment) -> bool:
    """Did another upload write actuals since `moment`? Uploads are the only writers of
    actuals after the first load, so only then must the rows be compared one by one."""
    others = UploadBatch.objects.filter(kind=batch.kind).exclude(pk=batch.pk)
    return others.filter(Q(committed_at__gte=moment) | Q(reverted_at__gte=moment)).exists()


def _locked(batch_id: int) -> UploadBatch:
    batch = UploadBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise DomainError(f"There is no upload #{batch_id}.")
    return batch


def _ensure_scope(actor, batch: UploadBatch) -> None:
    for territory_id in batch.territories:
        ensure_allowed(actor, KIND_ACTIONS[batch.kind], territory_id=territory_id)


def _ensure_open(batch: UploadBatch, *, verb: str) -> None:
    closed = closed_through()
    if closed is None or batch.kind != "actuals":
        return
    shut = [period for period in batch.periods if _month(period) <= month_index(closed)]
    if shut:
        raise DomainError(
            f"{batch} cannot be {verb}: {', '.join(shut)} belong(s) to a released cycle "
            f"(closed up to {closed:%Y-%m})."
        )


def _month(label: str) -> int:
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1
