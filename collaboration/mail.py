"""What a notification e-mail says: plain text, no Django."""

import re

SUBJECT_PREFIX = "S&OP Planner: "
SUBJECT_LIMIT = 80


def one_line(text: str, *, limit: int) -> str:
    """Line breaks and runs of spaces become one space; longer than `limit`, it is cut at
    a word with an ellipsis. A mail header holding a newline is refused by the mail
    library (the mention mail of a multi-line comment was lost that way)."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
        text = cut.rstrip(" ,.;:") + "…"
    return text


def subject_line(message: str) -> str:
    return SUBJECT_PREFIX + one_line(message, limit=SUBJECT_LIMIT)
