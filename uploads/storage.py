"""Where uploaded files are kept while they are previewed and committed."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from uploads.outcomes import Limits


def limits() -> Limits:
    return Limits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_rows=settings.UPLOAD_MAX_ROWS,
        chunk_rows=settings.UPLOAD_CHUNK_ROWS,
        max_columns=settings.UPLOAD_MAX_COLUMNS,
        max_cell_chars=settings.UPLOAD_MAX_CELL_CHARS,
        max_seconds=settings.UPLOAD_MAX_SECONDS,
        max_shared_strings_bytes=settings.UPLOAD_MAX_SHARED_STRINGS_BYTES,
        max_expansion=settings.UPLOAD_MAX_EXPANSION,
    )


def root() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(source: BinaryIO, file_name: str) -> tuple[str, str, int]:
    """Copy the upload to disk; returns (relative path, SHA-256, size)."""
    suffix = Path(file_name).suffix.lower()[:10]
    relative = f"uploads/{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    root()
    with (Path(settings.MEDIA_ROOT) / relative).open("wb") as target:
        while block := source.read(1 << 20):
            digest.update(block)
            size += len(block)
            target.write(block)
    return relative, digest.hexdigest(), size


def path_of(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def discard(relative: str) -> None:
    """Remove a stored file that no upload keeps (a refused file); gone already is fine."""
    path_of(relative).unlink(missing_ok=True)
