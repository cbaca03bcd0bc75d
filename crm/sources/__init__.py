"""Where deals come from: one small module per CRM behind the CrmSource protocol.

A source yields plain dicts in the shape crm.mapping reads (id, name, organization,
organization_region, owner_name, owner_email, stage_id, likelihood, expected_close, value,
currency, tags, updated_at, lines: [{id, sku, quantity, unit_price}]); HubSpot, Salesforce
or Pipedrive would be one more module each.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol


class SourceError(Exception):
    """The CRM could not be read; the message says what failed, in words."""


class CrmSource(Protocol):
    name: str

    def stages(self) -> list[dict[str, Any]]:
        """Every stage: id, name, position, likelihood (percent), is_won, is_lost."""
        ...

    def deals_changed_since(self, since: datetime | None) -> Iterator[dict[str, Any]]:
        """Deals updated after `since` (every deal when None), newest first."""
        ...

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these deal ids the CRM still has (the others were deleted upstream)."""
        ...


def source_for(name: str, *, base_url: str, token: str) -> CrmSource:
    """The adapter for a source name."""
    from crm.sources.zendesk_sell import ZendeskSell

    adapters = {ZendeskSell.name: ZendeskSell}
    if name not in adapters:
        raise SourceError(f"No connector for the CRM {name!r}; known: {', '.join(adapters)}")
    return adapters[name](base_url=base_url, token=token)
