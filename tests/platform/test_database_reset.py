"""The quick reset after a transactional test leaves the database as Django's flush does."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import CompanyFactory, UserFactory
from tests.fixtures import database_reset

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _row_counts() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _roles_and_their_permissions() -> dict[str, set[str]]:
    return {
        group.name: {p.codename for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions")
    }


def test_the_reset_empties_every_table_but_the_ones_migrate_fills_like_flush_does():
    company = CompanyFactory.build_company()
    user = UserFactory.with_role(Role.SALES_OPS_ANALYST)
    audit_record(actor=user, action="test.reset", obj=company.territories[0])
    assert AuditEvent.objects.count() == 1  # append-only: a plain DELETE is refused

    database_reset.delete_rows(connection)
    after_reset = (_row_counts(), _roles_and_their_permissions())
    call_command("flush", verbosity=0, interactive=False)
    after_flush = (_row_counts(), _roles_and_their_permissions())

    assert after_reset == after_flush
    leftovers = {
        t: n for t, n in after_reset[0].items() if n and t not in database_reset.KEPT_TABLES
    }
    assert leftovers == {}
    assert set(after_reset[1]) == {role.value for role in Role}


def test_transactional_tests_end_with_the_quick_reset_on_postgresql_as_superuser():
    assert database_reset.can_delete_rows(connection)
    assert TransactionTestCase._fixture_teardown is database_reset._fixture_teardown
