"""Test data: users with roles and a small company."""

import itertools
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

import factory
from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import user_roles_seed
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
    from django.utils import timezone

    type(cycle).objects.filter(pk=cycle.pk).update(**RELEASED, released_at=timezone.now())
    cycle.refresh_from_db()


def add_reason_codes() -> None:
    """The reason codes of the data migration; transactional tests flush them, so add them back."""
    from demand.models import ReasonCode

    defaults = import_module("demand.migrations.0002_reason_codes").DEFAULT_REASONS
    for code, label in defaults:
        ReasonCode.objects.get_or_create(code=code, defaults={"label": label})
