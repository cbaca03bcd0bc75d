"""The kinds of file a worker builds: who may have one, and how it is read and written.

A kind is declared by the app that owns the data; this table only names them. Each
kind's `prepare` reads the user's request into a description of the file (refusing,
in words, what does not exist), `rows` counts what it will write (the progress bar's
end) and `chunks` yields the file's text with the number of rows in each piece.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sop_planner.errors import DomainError


class Prepared(Protocol):
    params: dict
    title: str
    file_name: str
    fixed: bool  # built from data that never changes: a built file may be served again


@dataclass(frozen=True)
class Kind:
    code: str
    action: str  # the permission a user needs to ask for, and to download, such a file
    prepare: Callable[[dict], Any]
    rows: Callable[[Any], int]
    chunks: Callable[[Any], Iterator[tuple[str, int]]]
    content_type: str = "text/csv"


KINDS: dict[str, Callable[[], Kind]] = {}


def register_kind(code: str, declare: Callable[[], Kind]) -> None:
    """The app owning the data declares its kind in its AppConfig.ready() (exports imports
    no app above it); `declare` is called when a file of the kind is asked for."""
    KINDS[code] = declare


def kind(code: str) -> Kind:
    if code not in KINDS:
        raise DomainError(f"There is no kind of export {code!r}.")
    return KINDS[code]()
