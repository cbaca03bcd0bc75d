"""Validate a stored file chunk by chunk, staging its valid rows and its rejections.

Each chunk is saved in its own transaction with the batch's progress, so the
page can show rows read / validated while a worker runs; the caller may wrap
the whole run in one transaction (small files) to make a refusal leave no trace.
Running it again starts over: the batch's staged rows and rejections are cleared.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.db import transaction

from uploads import staging, storage
from uploads.columns import KINDS, resolve_columns
from uploads.kinds import row_kind
from uploads.models import UploadBatch, UploadChange, UploadRejection
from uploads.parsing import FileFormat, detect_format, read_chunks, read_header
from uploads.selectors import actuals_rules
from uploads.validation import ActualsValidator, Rejection, month_label

REJECTIONS_KEPT = 100_000


def validate_batch(batch: UploadBatch, *, today: date | None = None) -> UploadBatch:
    _restart(batch)
    path = storage.path_of(batch.stored_path)
    limits = storage.limits()
    fmt = detect_format(path, batch.file_name, limits)
    header = read_header(path, batch.file_name, fmt, sheet=batch.sheet, limits=limits)
    positions = resolve_columns(
        header, KINDS[batch.kind], file_name=batch.file_name, mapping=batch.mapping
    )
    chunks = read_chunks(path, batch.file_name, fmt, limits, sheet=batch.sheet)
    comma = decimal_comma(batch, fmt)
    if batch.kind == "actuals":
        validator = ActualsValidator(
            actuals_rules(batch.created_by, today=today), decimal_comma=comma
        )
        _validate_actuals(batch, chunks, positions, validator)
    else:
        row_kind(batch.kind).validate(batch, _fields(chunks, positions), comma, _save_chunk)
    return batch


def decimal_comma(batch: UploadBatch, fmt: FileFormat) -> bool:
    """The convention the user chose for this file, else the one its separator implies."""
    return batch.convention == "decimal_comma" if batch.convention else fmt.decimal_comma


def _restart(batch: UploadBatch) -> None:
    staging.clear(batch.pk)
    UploadRejection.objects.filter(batch=batch).delete()
    UploadChange.objects.filter(batch=batch).delete()  # a retried run starts from none
    batch.rows_read = batch.rows_validated = batch.rows_written = 0
    batch.new_count = batch.changed_count = batch.unchanged_count = batch.rejected_count = 0
    batch.error = ""


def _fields(chunks, positions: dict[str, int]):
    """Chunks with one column per field, and the raw chunk (for rejected rows)."""
    for header, chunk in chunks:
        cells = chunk[list(positions.values())]
        cells.columns = list(positions)
        yield header, chunk, cells


def _validate_actuals(batch, chunks, positions, validator: ActualsValidator) -> None:
    periods: set[int] = set()
    territories: set[int] = set()
    staging.begin()
    for header, chunk, cells in _fields(chunks, positions):
        _progress(batch, read=len(chunk))
        result = validator.validate(cells)
        periods.update(int(p) for p in result.valid["period"].unique())
        territories.update(int(t) for t in result.valid["territory_id"].unique())
        with transaction.atomic():
            staging.stage_chunk(valid=result.valid)
            batch.rejected_count += result.rows_rejected
            _save_chunk(batch, header, chunk, result.rejections, validated=len(chunk))
    with transaction.atomic():
        staged, batch.new_count, batch.changed_count = staging.keep_changes(batch_id=batch.pk)
    batch.unchanged_count = staged - batch.new_count - batch.changed_count
    batch.periods = [month_label(p) for p in sorted(periods)]
    batch.territories = sorted(territories)
    batch.status = UploadBatch.Status.PREVIEWED
    batch.save()


def _progress(batch: UploadBatch, *, read: int) -> None:
    batch.rows_read += read
    batch.save(update_fields=["rows_read"])


def _save_chunk(batch, header, chunk: pd.DataFrame, rejections: list[Rejection], *, validated):
    """Store a chunk's rejections (with the rows as read) and its progress."""
    room = max(REJECTIONS_KEPT - batch.rejections.count(), 0) if rejections else 0
    if rejections and room:
        names = [name or f"column {i + 1}" for i, name in enumerate(header)]
        UploadRejection.objects.bulk_create(
            [_rejection(batch, r, names, chunk) for r in rejections[:room]], batch_size=5000
        )
    batch.rows_validated += validated
    batch.save(
        update_fields=[
            "rows_validated",
            "unchanged_count",
            "rejected_count",
            "new_count",
            "changed_count",
        ]
    )


def _rejection(batch, rejection: Rejection, names: list[str], chunk: pd.DataFrame):
    row = chunk.loc[rejection.row]
    return UploadRejection(
        batch=batch,
        row_number=rejection.row,
        column=rejection.column,
        value=rejection.value,
        reason=rejection.reason,
        cells={name: str(row[i]) for i, name in enumerate(names) if i in row.index},
    )
