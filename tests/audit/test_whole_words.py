"""The History names an object in full; a comment is named by its start, with an ellipsis."""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record
from collaboration.models import Comment
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_a_product_of_a_long_name_is_named_whole_in_the_history(company):
    product = ProductFactory(family=company.families[0], name="N" * 200)
    event = audit_record(actor=None, action="products.upload", obj=product)
    assert AuditEvent.objects.get(pk=event.pk).object_repr == f"{product.sku} {'N' * 200}"


def test_a_long_comment_is_named_by_its_start_and_an_ellipsis(users_by_role):
    manager = users_by_role[Role.SALES_OPS_MANAGER]
    assert str(Comment(author=manager, body="word " * 20)) == f"{manager}: {'word ' * 8}…"
    assert str(Comment(author=manager, body="short")) == f"{manager}: short"
