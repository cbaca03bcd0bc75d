"""Test data: users with roles and a small company."""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_roles_seed
from cycles.calendar import add_months
from cycles.models import Cycle, PlanValue
from demand.models import DemandEvent, Override, ReasonCode
from products.models import Product, ProductFamily
from territories.models import Region, SalesRep, Territory, TerritoryAssignment

PASSWORD = "test-pass-123"
_user_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @classmethod
    def with_role(cls, role: Role, *, territories=(), username: str | None = None):
        slug = role.name.lower().replace("_", "-")
        user = cls(username=username or f"{slug}-{next(_user_numbers)}")
        user_roles_seed(user=user, roles=[role])
        for territory in territories:
            TerritoryAssignment.objects.get_or_create(territory=territory, user=user)
        return user

    @classmethod
    def one_per_role(cls, company: "Company") -> dict[Role, Any]:
        """One user per role; the demand planner plans the company's first territory."""
        users = {role: cls.with_role(role) for role in Role if role is not Role.DEMAND_PLANNER}
        users[Role.DEMAND_PLANNER] = cls.with_role(
            Role.DEMAND_PLANNER, territories=[company.territories[0]]
        )
        return users


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"r{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    code = factory.Sequence(lambda n: f"t{n}")
    name = factory.Sequence(lambda n: f"Territory {n}")
    region = factory.SubFactory(RegionFactory)


class SalesRepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRep

    name = factory.Sequence(lambda n: f"Rep {n}")
    email = factory.Sequence(lambda n: f"rep{n}@example.com")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductFamily

    code = factory.Sequence(lambda n: f"f{n}")
    name = factory.Sequence(lambda n: f"Family {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    family = factory.SubFactory(FamilyFactory)
    unit_price = Decimal("10.00")
    unit_cost = Decimal("6.00")


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle row as it stands, written directly: for a cycle walked through its stages
    use cycles.services (or the `walk` fixture)."""

    class Meta:
        model = Cycle

    month = factory.Sequence(lambda n: add_months(date(2030, 1, 1), n))
    owner = factory.SubFactory(UserFactory)

    class Params:
        # Only one cycle may be open at a time (a database constraint): the others of a
        # test are released ones.
        released = factory.Trait(
            status="released",
            stage="sign_off",
            released_at=factory.LazyFunction(timezone.now),
        )


class PlanValueFactory(factory.django.DjangoModelFactory):
    """A live plan figure written straight into the store, in the cycle's current version
    (what a finished load leaves; edits go through the plan services)."""

    class Meta:
        model = PlanValue

    cycle = factory.SubFactory(CycleFactory)
    measure = "consensus"
    product = factory.SubFactory(ProductFactory)
    territory = factory.SubFactory(TerritoryFactory)
    month = factory.LazyAttribute(lambda v: v.cycle.month)
    value = Decimal(10)
    valid_from_seq = factory.LazyAttribute(lambda v: v.cycle.version_seq)


class ReasonCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReasonCode
        django_get_or_create = ("code",)

    code = "promotion"
    label = factory.LazyAttribute(lambda r: r.code.replace("-", " ").capitalize())


class OverrideFactory(factory.django.DjangoModelFactory):
    """The record of an override (its cells are not written: add OverrideCell rows)."""

    class Meta:
        model = Override

    cycle = factory.SubFactory(CycleFactory)
    actor = factory.SubFactory(UserFactory)
    reason = factory.SubFactory(ReasonCodeFactory)
    scope = factory.LazyFunction(dict)
    scope_label = "Everything"
    first_month = factory.LazyAttribute(lambda o: o.cycle.month)
    last_month = factory.LazyAttribute(lambda o: o.first_month)
    mode = Override.Mode.SET
    value = Decimal(5)
    total_before = Decimal(1)
    total_after = Decimal(5)
    cell_count = 1


class DemandEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandEvent
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    kind = DemandEvent.Kind.PROMOTION
    name = factory.Sequence(lambda n: f"Event {n}")
    first_month = factory.LazyAttribute(lambda e: e.cycle.month)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


@dataclass
class Company:
    regions: list[Region]
    territories: list[Territory]
    families: list[ProductFamily]
    products: list[Product]


class CompanyFactory:
    @staticmethod
    def build_company() -> Company:
        regions = [RegionFactory(), RegionFactory()]
        territories = [TerritoryFactory(region=regions[i // 2]) for i in range(4)]
        families = [FamilyFactory(), FamilyFactory()]
        products = [ProductFactory(family=families[i % 2]) for i in range(6)]
        return Company(regions, territories, families, products)


RELEASED = {"status": "released", "stage": "sign_off"}


def mark_released(cycle) -> None:
    """Put a cycle in the released state directly (tests of what a release forbids).

    The real path is the sign-off workflow (tests/cycles); this only sets what
    the database's release constraint requires.
    """
    type(cycle).objects.filter(pk=cycle.pk).update(**RELEASED, released_at=timezone.now())
    cycle.refresh_from_db()


def add_reason_codes() -> None:
    """The reason codes of the data migration; transactional tests flush them, so add them back."""
    from demand.models import ReasonCode

    defaults = import_module("demand.migrations.0002_reason_codes").DEFAULT_REASONS
    for code, label in defaults:
        ReasonCode.objects.get_or_create(code=code, defaults={"label": label})
