"""Words for refusals that name a limit and the value found, never echoing a whole value.

Plain Python: a hostile file can hold a 100 MB cell or header, and a message that
quoted it whole would itself be the attack (a 105 MB error page), so every value a
message shows goes through `excerpt`.
"""

from __future__ import annotations

EXCERPT_CHARS = 60


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """The start of `text`, with how much was left out when it is longer than `limit`."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters in all)"


def size_in_words(count: int) -> str:
    """A byte count as people read it: 9,007 bytes, 1.9 MB."""
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"
