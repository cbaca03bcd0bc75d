"""The whole permission table, role by role: what each must and must not be able to do.

EXPECTED is the business's statement of the roles, written independently of
accounts.roles.PERMISSIONS; the two must agree row for row.
"""

import pytest
from django.contrib.auth import get_user_model

from accounts.permissions import can
from accounts.roles import ACTION_WORDS, PERMISSIONS, Role, Scope, scope_of
from tests.factories import CompanyFactory, UserFactory, add_reason_codes
from tests.fixtures.shared_data import module_data

SOM, SOA, SPS, SEM, TOA, DP, SP, FIN, EXE = (
    Role.SALES_OPS_MANAGER,
    Role.SALES_OPS_ANALYST,
    Role.SALES_PLANNING_SPECIALIST,
    Role.SALES_EFFECTIVENESS_MANAGER,
    Role.TECHNICAL_OPERATIONS_ADVISOR,
    Role.DEMAND_PLANNER,
    Role.SUPPLY_PLANNER,
    Role.FINANCE,
    Role.EXECUTIVE,
)
EVERYONE = set(Role)

EXPECTED: dict[str, set[Role]] = {
    "masterdata.view": EVERYONE,
    "territories.edit": {SOM, TOA},
    "assignments.edit": {SOM, TOA},
    "territories.assign_dated": {SOM},
    "quotas.view": EVERYONE,
    "quotas.edit": {SOM},
    "quotas.approve": {SOM},
    "products.edit": {SOA, TOA},
    "prices.edit": {SPS, TOA},
    "calendar.edit": {SPS, TOA},
    "actuals.view": EVERYONE,
    "actuals.upload": {SOA, SOM, DP},
    "cycle.view": EVERYONE,
    "cycle.open": {SOM},
    "cycle.advance": {SOM},
    "cycle.send_back": {SOM},
    "cycle.waive": {SOM},
    "cycle.due_dates": {SOM},
    "cycle.approve": {EXE},
    "cycle.reject": {EXE},
    "cycle.comment": EVERYONE,
    "action_item.close": set(),  # by ownership only: the assignee or the cycle owner
    "audit.view": EVERYONE,
    "plan.demand.submit": {DP},
    "plan.supply.submit": {SP},
    "plan.demand.edit": {DP, SOM, SOA},
    "plan.demand.reopen": {SOM},
    "demand.baseline.load": {SOM, SOA},
    "plan.supply.edit": {SP},
    "plan.budget.edit": {FIN},
    "gap.decide": {SOM, FIN},
    "quota_gap.decide": {SOM},
    "scenario.edit": {SOM, FIN, SP},
    "scenario.promote": {SOM},
    "products.upload": {SOA, TOA},
    "territories.upload": {SOM, TOA},
    "prices.upload": {SPS, TOA},
    "uploads.use": {SOA, SOM, SPS, TOA, FIN, DP},
    "uploads.others": {SOA, SOM, SPS, TOA, FIN},
    "forecast.view": EVERYONE,
    "forecast.run": {SOA, SOM},
    "forecast.cancel": {SOA, SOM},
    "users.manage": {TOA},
    "integrations.manage": {TOA},
    "crm.view": {TOA, SOM, SOA, SPS},
    "crm.connect": {TOA},
    "crm.sync": {TOA, SOM, SOA},
    "crm.map": {TOA},
    "crm.rates": {SPS, TOA},
    "reassessment.view": EVERYONE,
    "pipeline.deals.view": EVERYONE,
    "reassessment.recompute": {SOM, SOA, SEM},
    "kpis.define": {TOA},
    "kpis.view": EVERYONE,
    "guides.edit": {SEM},
    "admin.access": {TOA, SPS, SOM, SOA},
}
TERRITORY_SCOPED = {
    ("actuals.upload", DP),
    ("uploads.use", DP),
    ("plan.demand.submit", DP),
    ("plan.demand.edit", DP),
    ("pipeline.deals.view", DP),
}


def test_every_action_in_the_table_has_an_expectation():
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_role_has_exactly_the_expected_permission(role, action):
    expected = role in EXPECTED[action]
    scope = scope_of({role}, action)
    assert (scope is not None) == expected
    if expected:
        wanted = Scope.OWN_TERRITORIES if (action, role) in TERRITORY_SCOPED else Scope.ALL
        assert scope is wanted


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError, match="Unknown action"):
        scope_of({SOM}, "cycle.teleport")


def test_a_user_with_two_roles_gets_the_wider_scope():
    assert scope_of({DP, SOA}, "actuals.upload") is Scope.ALL


def _people() -> tuple:
    add_reason_codes()
    company = CompanyFactory.build_company()
    return company, {role: user.pk for role, user in UserFactory.one_per_role(company).items()}


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """The company and one user per role, built once for the module's 500 database tests."""
    yield from module_data(django_db_blocker, _people)


@pytest.fixture
def company(people):
    return people[0]


@pytest.fixture
def users_by_role(people):
    """Fresh instances each test: roles are cached on a user, and a test may change one."""
    return {role: get_user_model().objects.get(pk=pk) for role, pk in people[1].items()}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_real_users_get_the_table_through_their_group(users_by_role, company, role, action):
    user = users_by_role[role]
    assert can(user, action) == (role in EXPECTED[action])


@pytest.mark.django_db
def test_planner_is_limited_to_the_territories_they_plan(users_by_role, company):
    planner = users_by_role[DP]
    own, other = company.territories[0], company.territories[1]
    assert can(planner, "actuals.upload", territory_id=own.pk)
    assert not can(planner, "actuals.upload", territory_id=other.pk)
    analyst = users_by_role[SOA]
    assert can(analyst, "actuals.upload", territory_id=other.pk)


@pytest.mark.django_db
def test_inactive_or_anonymous_users_may_do_nothing(users_by_role):
    from django.contrib.auth.models import AnonymousUser

    manager = users_by_role[SOM]
    manager.is_active = False
    assert not can(manager, "masterdata.view")
    assert not can(AnonymousUser(), "masterdata.view")


def test_every_action_has_words_for_its_refusal():
    assert set(ACTION_WORDS) == set(PERMISSIONS)
    assert all(words and "." not in words for words in ACTION_WORDS.values())
