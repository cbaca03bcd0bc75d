"""Whose uploads a user may see and handle: their own, and others' only with "uploads.others".

A batch is seen and handled (mapped, committed, reverted, its rejected rows read)
by the person who uploaded it; company-wide roles of its kind handle everybody's.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.permissions import can
from sop_planner.errors import NotAllowed
from uploads.models import UploadBatch


def handles_others(user) -> bool:
    return can(user, "uploads.others")


def own_or_all(user, batches: QuerySet[UploadBatch]) -> QuerySet[UploadBatch]:
    """The batches of `batches` this user may see."""
    return batches if handles_others(user) else batches.filter(created_by=user)


def ensure_may_handle(user, batch: UploadBatch, *, verb: str) -> None:
    """Refuse, in words, to let a user act on somebody else's upload without the right."""
    if batch.created_by_id == user.pk or handles_others(user):
        return
    raise NotAllowed(
        f"{batch} was uploaded by {batch.created_by}; your role may {verb} only uploads you "
        "made yourself."
    )
