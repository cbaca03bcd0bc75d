"""Zendesk Sell through its Core API v2: deals, stages, users, organizations, orders with
their line items, products. Bearer token; `page`/`per_page` paging; every item wrapped as
{"data": ...}; 429 and 5xx retried with exponential back-off (urllib3's Retry, which also
honours Retry-After); every request bounded by a timeout.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from crm.sources import SourceError

PER_PAGE = 100
TIMEOUT = (5, 30)  # seconds to connect, to read
RETRIED_STATUSES = (429, 500, 502, 503, 504)


class ZendeskSell:
    name = "zendesk_sell"

    def __init__(self, *, base_url: str, token: str, retries: int = 5, backoff: float = 0.5):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )
        retry = Retry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=RETRIED_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self._users: dict[str, dict[str, Any]] | None = None
        self._organizations: dict[str, dict[str, Any]] | None = None
        self._skus: dict[str, str] | None = None

    def stages(self) -> list[dict[str, Any]]:
        return [_stage(item) for item in self._pages("/v2/stages")]

    def deals_changed_since(self, since: datetime | None) -> Iterator[dict[str, Any]]:
        for deal in self._pages("/v2/deals", sort_by="updated_at:desc"):
            if since is not None and _time(deal["updated_at"]) <= since:
                return  # newest first: the rest are older still
            yield self._deal(deal)

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        wanted, found = list(ids), set[str]()
        for start in range(0, len(wanted), PER_PAGE):
            chunk = ",".join(wanted[start : start + PER_PAGE])
            found.update(str(deal["id"]) for deal in self._pages("/v2/deals", ids=chunk))
        return found

    def _deal(self, deal: dict[str, Any]) -> dict[str, Any]:
        owner = self._lookup("users", "/v2/users").get(str(deal.get("owner_id")), {})
        organization = self._lookup("organizations", "/v2/contacts", is_organization="true").get(
            str(deal.get("contact_id")), {}
        )
        address = organization.get("address") or {}
        return {
            "id": deal.get("id"),
            "name": deal.get("name"),
            "organization": organization.get("name", ""),
            "organization_region": address.get("state") or address.get("country") or "",
            "owner_name": owner.get("name", ""),
            "owner_email": owner.get("email", ""),
            "stage_id": deal.get("stage_id"),
            "likelihood": deal.get("customized_win_likelihood"),
            "expected_close": deal.get("estimated_close_date"),
            "value": deal.get("value"),
            "currency": deal.get("currency"),
            "tags": deal.get("tags") or [],
            "updated_at": deal.get("updated_at"),
            "lines": self._lines(deal.get("id")),
        }

    def _lines(self, deal_id: Any) -> list[dict[str, Any]]:
        lines = []
        for order in self._pages("/v2/orders", deal_id=deal_id):
            for item in self._pages(f"/v2/orders/{order['id']}/line_items"):
                sku = item.get("sku") or self._sku_of(item.get("product_id"))
                lines.append(
                    {
                        "id": item.get("id"),
                        "sku": sku,
                        "quantity": item.get("quantity"),
                        "unit_price": item.get("price"),
                    }
                )
        return lines

    def _sku_of(self, product_id: Any) -> str:
        if self._skus is None:
            self._skus = {str(p["id"]): p.get("sku", "") for p in self._pages("/v2/products")}
        return self._skus.get(str(product_id), "")

    def _lookup(self, cache: str, path: str, **params: Any) -> dict[str, dict[str, Any]]:
        """Users or organizations by id, read once per sync."""
        attribute = f"_{cache}"
        if getattr(self, attribute) is None:
            setattr(self, attribute, {str(row["id"]): row for row in self._pages(path, **params)})
        return getattr(self, attribute)

    def _pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            items = self._get(path, page=page, per_page=PER_PAGE, **params).get("items") or []
            yield from (item["data"] for item in items)
            if len(items) < PER_PAGE:
                return
            page += 1

    def _get(self, path: str, **params: Any) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self.session.get(url, params=params, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise SourceError(f"Zendesk Sell did not answer {path}: {_reason(error)}") from None
        if response.status_code in (401, 403):
            raise SourceError(
                f"Zendesk Sell refused the token ({response.status_code} on {path}): "
                "check the token on the CRM page"
            )
        if response.status_code != 200:
            raise SourceError(f"Zendesk Sell answered {response.status_code} on {path}")
        return response.json()


def _stage(stage: dict[str, Any]) -> dict[str, Any]:
    category = stage.get("category", "")
    return {
        "id": str(stage["id"]),
        "name": stage.get("name", ""),
        "position": int(stage.get("position") or 0),
        "likelihood": Decimal(str(stage.get("likelihood") or 0)),
        "is_won": category == "won",
        "is_lost": category == "lost",
    }


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _reason(error: requests.RequestException) -> str:
    """The last cause in words (after the retries ran out), not urllib3's whole chain."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return str(reason or error)
