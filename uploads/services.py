"""The only code that changes uploads and the data they bring: preview, commit, revert."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.services import audit_record
from cycles.calendar import month_index
from cycles.models import Cycle
from products.models import Product
from sop_planner import background
from sop_planner.errors import Conflict, DomainError, Missing
from territories.models import Territory
from uploads import hooks, staging, storage
from uploads.access import ensure_may_handle
from uploads.columns import KINDS, unmappable
from uploads.kinds import ROW_KINDS, row_kind
from uploads.limits import excerpt, size_in_words
from uploads.models import ColumnMapping, UploadBatch, UploadRow
from uploads.outcomes import ColumnsMissing, FileRefused
from uploads.selectors import KIND_ACTIONS, closed_through

Status = UploadBatch.Status
HEADER_CHARS = 100  # what a batch keeps of each column name, for the mapping step
ERROR_CHARS = 2_000  # what a batch keeps of a message: a hostile file cannot make it huge


def upload_preview(
    *,
    actor: User,
    file: BinaryIO,
    file_name: str,
    kind: str,
    sheet: str = "",
    mapping: dict[str, str] | None = None,
    mapping_name: str = "",
    convention: str = "",
) -> UploadBatch:
    """Store a file and queue it for a worker; the request reads none of it.

    A worker (`upload_validate`) reads its columns, checks every row and stages
    the preview, with progress the page and the API follow. A file lacking
    columns then waits for a column mapping; a refused file keeps its batch (with
    the reason) but not its content. Only a file over the size limit is refused
    here, unread.
    """
    if kind not in KINDS:
        raise DomainError(f"Unknown kind of upload '{kind}'; choose one of {', '.join(KINDS)}.")
    ensure_allowed(actor, KIND_ACTIONS[kind])
    columns = _mapping_columns(mapping, mapping_name, kind)
    convention = _convention(convention)
    batch = _stored_batch(
        actor, file, file_name, kind=kind, sheet=sheet, columns=columns, convention=convention
    )
    if batch.size > settings.UPLOAD_MAX_BYTES:
        storage.discard(batch.stored_path)
        raise DomainError(oversize_message(batch.file_name, batch.size))
    _queue_validation(batch)
    return batch


def oversize_message(file_name: str, size: int) -> str:
    return (
        f"{file_name} is {size_in_words(size)}; the limit is "
        f"{size_in_words(settings.UPLOAD_MAX_BYTES)}."
    )


def _queue_validation(batch: UploadBatch) -> None:
    batch.status = Status.QUEUED
    batch.queued_at = timezone.now()
    batch.error = ""
    batch.save()
    transaction.on_commit(lambda: _publish_validation(batch.pk))


def _stored_batch(actor: User, file, file_name: str, **fields) -> UploadBatch:
    """The file on disk, and its batch (not saved yet): a worker reads and writes it."""
    relative, checksum, size = storage.store(file, file_name)
    return UploadBatch(
        file_name=file_name,
        stored_path=relative,
        checksum=checksum,
        size=size,
        mapping=fields.pop("columns"),
        created_by=actor,
        background=True,
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


@transaction.atomic
def upload_map(
    *, actor: User, batch_id: int, columns: dict[str, str], save_as: str = ""
) -> UploadBatch:
    """Read a file's columns through a mapping (saved under a name, if given): a worker
    validates the file again with it."""
    batch = _locked(batch_id)
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="map")
    if batch.status != Status.NEEDS_MAPPING:
        raise Conflict(f"{batch} is {batch.get_status_display()}; its columns are already mapped.")
    batch.mapping = {name: field for name, field in columns.items() if field}
    if save_as:
        mapping_save(actor=actor, name=save_as, kind=batch.kind, columns=batch.mapping)
    _queue_validation(batch)
    return batch


@transaction.atomic
def mapping_save(*, actor: User, name: str, kind: str, columns: dict[str, str]) -> ColumnMapping:
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


def _publish_revert(batch_id: int) -> None:
    from uploads.tasks import upload_revert_task

    background.publish(
        lambda: upload_revert_task.delay(batch_id),
        on_failure=lambda message: UploadBatch.objects.filter(
            pk=batch_id, status=Status.REVERT_QUEUED
        ).update(status=Status.COMMITTED, reverted_by=None, error=f"{message} Revert again."),
    )


def uploads_sweep() -> int:
    """Publish again the batches that have waited too long for a worker (a lost publish,
    or a worker that died mid-way: its transaction rolled back, the batch is still queued).

    Validation, writing and reverting are safe to run twice: a write or a revert locks
    its batch and does nothing once done, and validation runs in one worker at a time.
    """
    stale = UploadBatch.objects.filter(queued_at__lt=background.stale_before())
    publishers = {
        Status.QUEUED: _publish_validation,
        Status.COMMIT_QUEUED: _publish_write,
        Status.REVERT_QUEUED: _publish_revert,
    }
    published = 0
    for status, publish in publishers.items():
        for batch_id in stale.filter(status=status).values_list("pk", flat=True):
            publish(batch_id)
            published += 1
    return published


def upload_validate(*, batch_id: int, today: date | None = None) -> UploadBatch:
    """Validate a queued batch (in a worker). Safe to run again after a crash."""
    with background.exclusive(f"upload-validate:{batch_id}") as mine:
        batch = UploadBatch.objects.get(pk=batch_id)
        if not mine:  # the same batch is being validated by another worker right now
            return batch
        return _validate(batch, today=today)


def _validate(batch: UploadBatch, *, today: date | None) -> UploadBatch:
    from uploads.pipeline import validate_batch  # pandas: only where a file is read

    if batch.status not in (Status.QUEUED, Status.VALIDATING):
        return batch
    batch.status = Status.VALIDATING
    batch.save(update_fields=["status"])
    try:
        validate_batch(batch, today=today)
    except ColumnsMissing as missing:
        too_wide = unmappable(batch.file_name, missing, max_columns=storage.limits().max_columns)
        if too_wide:
            _fail(batch, too_wide)
        else:
            _needs_mapping(batch, str(missing), headers=missing.headers)
    except FileRefused as refused:
        _fail(batch, str(refused))
    except DomainError as refused:  # e.g. the cycle's stage no longer takes these figures
        _fail(batch, refused.message)
    except SoftTimeLimitExceeded:
        _fail(batch, f"{batch.file_name}: reading it took longer than the worker's time limit.")
    except Exception as error:
        _fail(
            batch,
            f"Validation stopped by an unexpected error ({excerpt(str(error))}); "
            "upload the file again.",
        )
        raise
    return batch


def _needs_mapping(batch: UploadBatch, message: str, *, headers: list[str]) -> None:
    """The file lacks columns: it waits (kept on disk) for the user to map its columns."""
    _clear_preview(batch)
    batch.headers = [excerpt(name, HEADER_CHARS) for name in headers]
    batch.status = Status.NEEDS_MAPPING
    batch.error = excerpt(message, ERROR_CHARS)
    batch.save()


def _fail(batch: UploadBatch, message: str) -> None:
    """Refused: the batch says why; the file, its staged rows and rejections are gone."""
    _clear_preview(batch)
    storage.discard(batch.stored_path)
    batch.status = Status.FAILED
    batch.error = excerpt(message, ERROR_CHARS)
    batch.save()


def _clear_preview(batch: UploadBatch) -> None:
    staging.clear(batch.pk)
    batch.rejections.all().delete()
    batch.changes.all().delete()
    batch.new_count = batch.changed_count = batch.unchanged_count = batch.rejected_count = 0


@transaction.atomic
def upload_commit(*, actor: User, batch_id: int, accept_partial: bool = False) -> UploadBatch:
    """Queue a previewed file for writing by a worker: only one without errors, or its
    valid rows when asked to. What can be checked at once (status, rejected rows, role,
    territories, closed months) is refused here; the write itself may still be refused
    by the worker (rows moved since the preview), leaving the preview with the reason."""
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
    batch.status = Status.COMMIT_QUEUED
    batch.queued_at = timezone.now()
    batch.error = ""
    batch.save(update_fields=["committed_by", "partial", "status", "queued_at", "error"])
    transaction.on_commit(lambda: _publish_write(batch.pk))
    return batch


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
    except SoftTimeLimitExceeded:
        return _back_to_preview(batch_id, "Nothing was written: the worker's time limit passed.")
    except Exception as error:
        _back_to_preview(
            batch_id, f"Nothing was written: unexpected error ({excerpt(str(error))})."
        )
        raise


def _back_to_preview(batch_id: int, message: str) -> UploadBatch:
    """Writing failed and wrote nothing: the preview stands, with the reason."""
    UploadBatch.objects.filter(pk=batch_id).update(
        status=Status.PREVIEWED, error=excerpt(message, ERROR_CHARS)
    )
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
    if written is None or author is None:
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
def upload_revert(*, actor: User, batch_id: int, reason: str = "") -> UploadBatch:
    """Queue a committed batch to be undone as a whole by a worker, while none of its
    periods is closed. What can be checked at once (status, role, territories, closed
    months, a released plan) is refused here; a later upload that changed the same rows
    is found by the worker, which then leaves the batch committed with the reason."""
    batch = _locked(batch_id)
    _ensure_revertible(actor, batch)
    batch.reverted_by = actor
    batch.revert_reason = reason
    batch.status = Status.REVERT_QUEUED
    batch.queued_at = timezone.now()
    batch.error = ""
    batch.save(update_fields=["reverted_by", "revert_reason", "status", "queued_at", "error"])
    transaction.on_commit(lambda: _publish_revert(batch.pk))
    return batch


def upload_unwrite(*, batch_id: int) -> UploadBatch:
    """Revert a batch queued for it (in a worker): all of it in one transaction, or nothing.

    Safe to run twice: it locks the batch and does nothing once reverted.
    """
    try:
        with transaction.atomic():
            batch = _locked(batch_id)
            if batch.status != Status.REVERT_QUEUED:
                return batch
            return _revert(batch)
    except DomainError as refused:
        return _back_to_committed(batch_id, refused.message)
    except SoftTimeLimitExceeded:
        return _back_to_committed(batch_id, "the worker's time limit passed.")
    except Exception as error:
        _back_to_committed(batch_id, f"unexpected error ({excerpt(str(error))}).")
        raise


def _revert(batch: UploadBatch) -> UploadBatch:
    actor = batch.reverted_by
    assert actor is not None, "upload_revert names who reverts before it queues the batch"
    _ensure_may_revert(actor, batch)  # checked again: time passed since the click
    _undo(batch)
    batch.status = Status.REVERTED
    batch.reverted_at = timezone.now()
    batch.error = ""
    batch.save(update_fields=["status", "reverted_at", "error"])
    audit_record(
        actor=actor,
        action=f"upload.{batch.kind}.revert",
        obj=batch,
        before=_summary(batch),
        reason=batch.revert_reason,
    )
    return batch


def _back_to_committed(batch_id: int, why: str) -> UploadBatch:
    """Reverting failed and changed nothing: the upload stays committed, with the reason."""
    UploadBatch.objects.filter(pk=batch_id).update(
        status=Status.COMMITTED,
        reverted_by=None,
        revert_reason="",
        error=excerpt(f"Nothing was reverted: {why}", ERROR_CHARS),
    )
    return UploadBatch.objects.get(pk=batch_id)


def _ensure_revertible(actor: User, batch: UploadBatch) -> None:
    if batch.status != Status.COMMITTED:
        raise Conflict(
            f"{batch} is {batch.get_status_display()}; only a committed upload can be reverted."
        )
    _ensure_may_revert(actor, batch)


def _ensure_may_revert(actor: User, batch: UploadBatch) -> None:
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="revert")
    _ensure_scope(actor, batch)
    _ensure_open(batch, verb="reverted")
    _ensure_plan_unlocked(batch)


def _ensure_plan_unlocked(batch: UploadBatch) -> None:
    """Plan figures (budget, supply inputs) of a released cycle are locked for good."""
    first = batch.changes.order_by("pk").first() if batch.kind in ROW_KINDS else None
    cycle_id = (first.after or {}).get("cycle") if first else None
    if cycle_id and Cycle.objects.filter(pk=cycle_id, status=Cycle.Status.RELEASED).exists():
        raise Conflict(f"{batch} wrote into a released cycle; its plan is locked.")


def upload_revert_refusal(*, actor: User, batch: UploadBatch) -> str | None:
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
        raise Missing(f"There is no upload #{batch_id}.")
    return batch


def _ensure_scope(actor: User, batch: UploadBatch) -> None:
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


CONVENTIONS = {
    "decimal_point": "decimal_point (1,234.5)",
    "decimal_comma": "decimal_comma (1.234,5)",
}


def _convention(value: str) -> str:
    """A number convention the user chose ('' lets the file's separator decide), or a refusal."""
    value = (value or "").strip()
    if value and value not in CONVENTIONS:
        raise DomainError(
            f"The number convention '{excerpt(value, 40)}' is not one of: {', '.join(CONVENTIONS.values())}"
            ", or empty to follow the file's separator."
        )
    return value


@transaction.atomic
def upload_reread(*, actor: User, batch_id: int, convention: str) -> UploadBatch:
    """Validate a previewed file again (by a worker) reading its figures in the chosen convention."""
    batch = _locked(batch_id)
    ensure_allowed(actor, KIND_ACTIONS[batch.kind])
    ensure_may_handle(actor, batch, verb="read again")
    if batch.status != Status.PREVIEWED:
        raise Conflict(
            f"{batch} is {batch.get_status_display()}; only a previewed upload can be read again."
        )
    batch.convention = _convention(convention)
    _queue_validation(batch)
    return batch
