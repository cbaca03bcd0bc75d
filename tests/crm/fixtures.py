"""Fixtures for the CRM: a fake Zendesk Sell on 127.0.0.1 (a free port) and a company
whose territories and products it knows. Registered in tests/conftest.py."""

from datetime import date

import pytest

from crm.fake_server import base_url, sample_crm, serve
from crm.models import MappingRule


@pytest.fixture
def fake_crm(company):
    """A fake CRM of 30 deals over the company's first three territories (by the
    organizations' regions) and its products; one organization's region maps nowhere."""
    crm = sample_crm(
        regions=[t.name for t in company.territories[:3]],
        skus=[(p.sku, float(p.unit_price)) for p in company.products],
        tags=[f.code for f in company.families],
        deals=30,
        today=date.today(),
    )
    server = serve(crm)
    crm.url = base_url(server)
    yield crm
    server.shutdown()
    server.server_close()


@pytest.fixture
def owner_rules(company, users_by_role):
    """Each rep of the fake CRM sends their deals to a territory of the company."""
    from accounts.roles import Role

    admin = users_by_role[Role.TECHNICAL_OPERATIONS_ADVISOR]
    return [
        MappingRule.objects.create(
            field="owner", value=f"rep{i}@example.com", territory=territory, created_by=admin
        )
        for i, territory in enumerate(company.territories[:3], 1)
    ]
