"""A stand-in for Zendesk Sell's Core API v2 on 127.0.0.1, for the tests and the demo.

It serves paged stages, users, organizations, deals (newest first, or by `ids`), orders
(by `deal_id`) with their line items, and products, wrapped as Zendesk Sell wraps them.
Switches reproduce what a real CRM does to a connector: a page that fails twice before it
answers, a deal deleted upstream, a deal whose owner changes (it moves territory), a
currency the company does not use, a malformed record. No Django: `manage.py fake_crm`
fills it from the demo company.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

STAGES = [
    {"id": 1, "name": "Incoming", "category": "incoming", "position": 1, "likelihood": 10},
    {"id": 2, "name": "Qualified", "category": "in_progress", "position": 2, "likelihood": 30},
    {"id": 3, "name": "Quote", "category": "in_progress", "position": 3, "likelihood": 60},
    {"id": 4, "name": "Closure", "category": "in_progress", "position": 4, "likelihood": 85},
    {"id": 5, "name": "Won", "category": "won", "position": 5, "likelihood": 100},
    {"id": 6, "name": "Lost", "category": "lost", "position": 6, "likelihood": 0},
]


@dataclass
class FakeCrm:
    """The CRM's data and the switches; the handler reads it under a lock."""

    token: str = "fake-token"
    users: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    line_items: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[tuple[str, int], int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_page(self, path: str, page: int, times: int = 2) -> None:
        """This page answers 503 `times` times, then its data."""
        self.failures[(path, page)] = times

    def delete_deal(self, deal_id: int) -> None:
        with self.lock:
            self.deals = [deal for deal in self.deals if deal["id"] != deal_id]

    def change_deal(self, deal_id: int, **changes: Any) -> None:
        """Change a deal as a sales rep would (its updated_at moves on)."""
        with self.lock:
            deal = next(deal for deal in self.deals if deal["id"] == deal_id)
            deal.update(changes, updated_at=_later(deal["updated_at"]))

    def add_deal(self, **fields: Any) -> dict[str, Any]:
        with self.lock:
            deal = {"id": max((d["id"] for d in self.deals), default=1000) + 1, "tags": []}
            deal.update(fields)
            deal.setdefault("updated_at", _stamp(datetime.now(UTC)))
            self.deals.append(deal)
            return deal

    def add_order(self, deal_id: int, lines: list[dict[str, Any]]) -> None:
        with self.lock:
            order_id = len(self.orders) + 1
            self.orders.append({"id": order_id, "deal_id": deal_id})
            self.line_items[order_id] = [
                {"id": order_id * 100 + i, **line} for i, line in enumerate(lines, 1)
            ]

    def collection(self, path: str, query: dict[str, str]) -> list[dict[str, Any]] | None:
        """Every item of a path, filtered as the query asks (None: no such path)."""
        if path.startswith("/v2/orders/") and path.endswith("/line_items"):
            return self.line_items.get(int(path.split("/")[3]), [])
        tables = {
            "/v2/stages": STAGES,
            "/v2/users": self.users,
            "/v2/contacts": self.organizations,
            "/v2/products": self.products,
            "/v2/deals": sorted(self.deals, key=lambda d: d["updated_at"], reverse=True),
            "/v2/orders": self.orders,
        }
        rows = tables.get(path)
        if rows is None:
            return None
        if "ids" in query:
            wanted = set(query["ids"].split(","))
            rows = [row for row in rows if str(row["id"]) in wanted]
        if "deal_id" in query:
            rows = [row for row in rows if str(row["deal_id"]) == query["deal_id"]]
        return rows


class _Handler(BaseHTTPRequestHandler):
    crm: FakeCrm

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        page, per_page = int(query.get("page", 1)), int(query.get("per_page", 25))
        with self.crm.lock:
            self.crm.requests.append(self.path)
            if self.headers.get("Authorization") != f"Bearer {self.crm.token}":
                return self._send(401, {"errors": [{"error": {"code": "unauthorized"}}]})
            if self.crm.failures.get((url.path, page), 0) > 0:
                self.crm.failures[(url.path, page)] -= 1
                return self._send(503, {"errors": [{"error": {"code": "unavailable"}}]})
            rows = self.crm.collection(url.path, query)
            if rows is None:
                return self._send(404, {"errors": [{"error": {"code": "not_found"}}]})
            shown = rows[(page - 1) * per_page : page * per_page]
        items = [{"data": row, "meta": {"type": url.path.split("/")[-1]}} for row in shown]
        self._send(200, {"items": items, "meta": {"type": "collection", "count": len(items)}})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests and the demo read the requests from FakeCrm.requests."""


def serve(crm: FakeCrm, *, port: int = 0) -> ThreadingHTTPServer:
    """Start the server on 127.0.0.1 in a background thread; port 0 picks a free one."""
    handler = type("Handler", (_Handler,), {"crm": crm})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def base_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def sample_crm(
    *,
    regions: list[str],
    skus: list[tuple[str, float]],
    tags: list[str],
    deals: int = 40,
    today: date | None = None,
    seed: int = 7,
) -> FakeCrm:
    """A CRM with reps in each region, organizations, products and open deals over the
    coming six months; a few deals name a region nobody maps (to be mapped by hand)."""
    rng, today = random.Random(seed), today or date.today()
    crm = FakeCrm()
    for i, region in enumerate(regions, 1):
        crm.users.append({"id": i, "name": f"Rep {region}", "email": f"rep{i}@example.com"})
        crm.organizations.append(_organization(i, f"{region} Trading", region))
    crm.organizations.append(_organization(len(regions) + 1, "Faraway Imports", "Atlantis"))
    crm.products = [{"id": i, "sku": sku, "name": sku} for i, (sku, _) in enumerate(skus, 1)]
    stamp = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=30)
    for n in range(deals):
        organization = rng.choice(crm.organizations)
        deal = crm.add_deal(
            name=f"{organization['name']} order {n + 1}",
            owner_id=rng.choice(crm.users)["id"],
            contact_id=organization["id"],
            stage_id=rng.choice([1, 2, 3, 4]),
            currency="EUR",
            estimated_close_date=str(_month_ahead(today, rng.randrange(6), rng.randrange(28))),
            tags=[rng.choice(tags)] if tags else [],
            updated_at=_stamp(stamp + timedelta(minutes=n)),
            value="0",
        )
        _add_lines(crm, deal, rng.sample(skus, k=min(len(skus), rng.randint(1, 2))), rng)
    return crm


def _add_lines(crm: FakeCrm, deal: dict[str, Any], skus, rng: random.Random) -> None:
    lines = [
        {"sku": sku, "quantity": str(rng.randint(5, 60)), "price": f"{price:.2f}"}
        for sku, price in skus
    ]
    crm.add_order(deal["id"], lines)
    deal["value"] = str(sum(int(line["quantity"]) * Decimal(line["price"]) for line in lines))


def _organization(org_id: int, name: str, region: str) -> dict[str, Any]:
    return {"id": org_id, "name": name, "is_organization": True, "address": {"state": region}}


def _month_ahead(today: date, months: int, day: int) -> date:
    month_index = today.year * 12 + today.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, day + 1)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _later(stamp: str) -> str:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return _stamp(max(moment, datetime.now(UTC).replace(microsecond=0)) + timedelta(seconds=1))
