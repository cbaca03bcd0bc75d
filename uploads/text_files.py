"""How an uploaded text file is decoded: its encoding, its separator, no binary bytes. No Django.

Excel's "Unicode text" export is UTF-16 with a byte-order mark; "CSV UTF-8" is
UTF-8 with one; older exports are Windows-1252. A NUL byte belongs to no text
we read (and PostgreSQL cannot store it): it is refused with its line and byte.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from uploads.outcomes import FileRefused

SAVE_AS_UTF8 = (
    "Open it in Excel and save it as CSV UTF-8 (File > Save As > CSV UTF-8), then upload that."
)
# Excel's "Unicode text" export is UTF-16 little endian with a byte-order mark, tab-separated.
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def text_encoding(path: Path, file_name: str, head: bytes) -> str:
    """The encoding of a text file: UTF-16/32 by its byte-order mark, else UTF-8 or 1252."""
    for bom, encoding in UNICODE_BOMS:
        if head.startswith(bom):
            return encoding
    if _utf16_without_bom(head):
        raise FileRefused(
            f"{file_name} looks like UTF-16 text without a byte-order mark, which cannot be "
            f"read safely. {SAVE_AS_UTF8}"
        )
    return detect_encoding(path, file_name)


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly ASCII written two bytes a letter: every other byte is zero."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return False
    zeros = (sample[1::2].count(0), sample[0::2].count(0))
    return max(zeros) >= len(sample) // 4 and min(zeros) == 0


def detect_encoding(path: Path, file_name: str) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes, else Windows-1252.

    A NUL byte is refused with its line and byte: no text encoding we read holds one,
    and the database cannot store it.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    if b"\x00" in block:
                        _refuse_nul_bytes(path, file_name)
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(f"{file_name} is neither UTF-8 nor Windows-1252 text. {SAVE_AS_UTF8}")


def _refuse_nul_bytes(path: Path, file_name: str) -> None:
    lines, offset = 0, 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            found = block.find(b"\x00")
            if found >= 0:
                line = lines + block.count(b"\n", 0, found) + 1
                raise FileRefused(
                    f"{file_name}, line {line:,}, byte {offset + found + 1:,}: a NUL byte "
                    "(binary zero), so this is a binary file, not CSV text (a damaged export, "
                    f"or a program's own format). {SAVE_AS_UTF8}"
                )
            lines += block.count(b"\n")
            offset += len(block)


def sniff_separator(path: Path, encoding: str) -> str:
    """`;`, tab or `,`: whichever the header line uses most."""
    with path.open(encoding=encoding, newline="") as handle:
        for line in handle:
            if line.strip():
                counts = {sep: line.count(sep) for sep in (";", "\t", ",")}
                best = max(counts, key=lambda sep: counts[sep])
                return best if counts[best] else ","
    return ","
