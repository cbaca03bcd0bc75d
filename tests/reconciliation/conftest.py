import pytest

from accounts.roles import Role
from tests.fixtures.reconciliation import rec_cycle  # noqa: F401  (fixture)


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
