import pytest

from accounts.roles import Role
from cycles.stages import Stage
from tests.supply.plan_data import family_capacity, open_cycle, put, put_consensus


@pytest.fixture
def rec_cycle(company, users_by_role):
    """A cycle in reconciliation: family 0 is 10% short in January, family 1 has capacity."""
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.RECONCILIATION)
    f0, f1 = company.families
    put_consensus(cycle, company.products[0], company.territories[0], [60] * 12)
    put_consensus(cycle, company.products[2], company.territories[3], [40] * 12)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    family_capacity(cycle, f0, [100, 100, 90] + [100] * 9)
    family_capacity(cycle, f1, [80] * 12)
    for month in cycle.horizon():
        put(cycle, "budget_revenue", company.products[1], company.territories[1], month, 500)
    return cycle


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.SALES_OPS_MANAGER]


@pytest.fixture
def finance(users_by_role):
    return users_by_role[Role.FINANCE]


@pytest.fixture
def build_pack(settings, tmp_path):
    """build_pack(cycle, user): ask for the pack and build it here, as the worker does."""
    from reconciliation import pack_services

    settings.MEDIA_ROOT = tmp_path

    def build(cycle, user):
        build = pack_services.pack_request(actor=user, cycle_id=cycle.pk)
        return pack_services.pack_build(build_id=build.pk)

    return build


def download(client, url: str) -> bytes:
    """A file download's bytes (the pack is served from its kept file, streamed)."""
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)
