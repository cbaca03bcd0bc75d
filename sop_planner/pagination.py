"""Page size and paging rules for every list the API answers: no answer can grow without bound."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` up to 1,000 rows a page (a larger limit gets 1,000); `next` links the rest."""

    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT


class KeysetPagination(BasePagination):
    """Pages of a list that grows, by key: `?after=` the last row's key, not an offset.

    A page is the next `limit` rows after a key in `ordering` (all ascending or all
    descending, unique as a whole and backed by an index), so the thousandth page
    costs what the first does, and rows added meanwhile never shift a row onto two
    pages or off every page. `next` carries the key; there is no count (counting a
    growing list is the cost this avoids).
    """

    ordering: tuple[str, ...] = ("pk",)
    limit_query_param = "limit"
    after_query_param = "after"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.limit = _limit(request.query_params.get(self.limit_query_param))
        names = [name.lstrip("-") for name in self.ordering]
        after = request.query_params.get(self.after_query_param)
        rows = queryset.order_by(*self.ordering)
        if after:
            rows = rows.filter(beyond(self.ordering, _decoded(after, queryset.model, names)))
        page = list(rows[: self.limit + 1])
        self.next_key = _key(page[self.limit - 1], names) if len(page) > self.limit else None
        return page[: self.limit]

    def get_next_link(self) -> str | None:
        if self.next_key is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.after_query_param, self.next_key)

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (after this page's last row); null: none.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": "The key of the last row already read (from `next`).",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page, up to {MAX_LIMIT:,} (default {DEFAULT_LIMIT}).",
                "schema": {"type": "integer"},
            },
        ]


def beyond(ordering: tuple[str, ...], values: list[Any]) -> TupleLessThan | TupleGreaterThan:
    """The rows that come after the row with these `ordering` values, in that order (all
    ascending or all descending): one range of the index behind it, however deep."""
    columns = Tuple(*(F(name.lstrip("-")) for name in ordering))
    descending = ordering[0].startswith("-")
    return (TupleLessThan if descending else TupleGreaterThan)(columns, values)


def _limit(text: str | None) -> int:
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not text.isdigit() or int(text) < 1:
        raise ValidationError({"limit": f"'{text[:20]}' is not a whole number of rows above 0."})
    return min(int(text), MAX_LIMIT)


def _key(row, names: list[str]) -> str:
    """The row's ordering values, as text the next request hands back."""
    values = [row[name] if isinstance(row, dict) else getattr(row, name) for name in names]
    text = json.dumps([str(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decoded(key: str, model, names: list[str]) -> list[Any]:
    """The values of a key made by `_key`, each read back by its model field."""
    try:
        padded = key + "=" * (-len(key) % 4)
        texts = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(texts, list):
            raise ValueError
        return [
            _field(model, name).to_python(text) for name, text in zip(names, texts, strict=True)
        ]
    except Exception as error:
        raise ValidationError(
            {"after": "Not a key this list gave: follow the `next` link of the page before."}
        ) from error


def _field(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


class NewestFirstPagination(KeysetPagination):
    """A trail read newest first (audit events, uploads), by its (created_at, id) index."""

    ordering = ("-created_at", "-id")


class UncountedLimitOffsetPagination(BoundedLimitOffsetPagination):
    """Limit/offset pages of a list that is costly to count (a comparison computed per
    request): a page reads one row past its end to know whether there is a next one, and
    the whole list is counted only when `?count=true` asks (the answer then has `count`)."""

    count_query_param = "count"

    def paginate_queryset(self, queryset, request, view=None) -> list:
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        asked = request.query_params.get(self.count_query_param, "").lower()
        self.count = len(queryset) if asked in ("1", "true", "yes") else None
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_paginated_response(self, data) -> Response:
        counted = {} if self.count is None else {"count": self.count}
        links = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        return Response({**counted, **links, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]
        answer["properties"]["count"]["description"] = "Only with ?count=true."
        return answer

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "true: also count every row (costly on a large comparison).",
                "schema": {"type": "boolean"},
            },
        ]
