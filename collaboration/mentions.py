"""@mentions in a comment. Plain Python."""

import re

MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")


def mentioned_usernames(text: str) -> list[str]:
    """The usernames mentioned as @name, in order, each once."""
    seen: dict[str, None] = {}
    for name in MENTION.findall(text):
        seen.setdefault(name, None)
    return list(seen)
