"""Every role x the quota pages and API: everyone reads, only the manager proposes,
edits, approves and drafts a new version."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from quotas.models import QuotaYear

pytestmark = pytest.mark.django_db
SOM = Role.SALES_OPS_MANAGER


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_every_role_reads_quotas_and_only_the_manager_changes_them(
    client, users_by_role, proposed, role
):
    user = users_by_role[role]
    client.force_login(user)
    page = client.get(reverse("quotas:detail", args=[proposed.pk])).content.decode()
    assert ('id="approve"' in page) is (role is SOM)
    assert ('name="units-' in page) is (role is SOM)
    listing = client.get(reverse("quotas:list")).content.decode()
    assert ('id="propose"' in listing) is (role is SOM)
    assert client.get(reverse("quotas:csv", args=[proposed.pk])).status_code == 200
    line = proposed.lines.first()
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/quotas/").status_code == 200
    assert api.get(f"/api/quotas/{proposed.pk}/lines/").json()["count"] == proposed.lines.count()
    assert api.get("/api/quotas/attainment/").status_code == 200
    changes = {"changes": [{"id": line.pk, "units": "70"}]}
    patched = api.patch(f"/api/quotas/{proposed.pk}/lines/", changes, format="json")
    assert patched.status_code == (200 if role is SOM else 403)
    approved = api.post(f"/api/quotas/{proposed.pk}/approve/")
    assert approved.status_code == (200 if role is SOM else 403)
    proposed_again = api.post(
        "/api/quotas/propose/", {"fiscal_year": 2027, "stretch": "1.1"}, format="json"
    )
    assert proposed_again.status_code == (201 if role is SOM else 403)
    expected = "locked" if role is SOM else "draft"
    assert QuotaYear.objects.get(pk=proposed.pk).status == expected


def test_the_manager_edits_on_the_page_and_a_bad_figure_comes_back_as_typed(
    client, users_by_role, proposed
):
    client.force_login(users_by_role[SOM])
    first, second = proposed.lines.all()[:2]
    url = reverse("quotas:save", args=[proposed.pk])
    refused = client.post(url, {f"units-{first.pk}": "70", f"revenue-{second.pk}": "lots"})
    text = refused.content.decode()
    assert refused.status_code == 400 and "Nothing was saved" in text and 'value="lots"' in text
    first.refresh_from_db()
    assert str(first.units) == "63.0000"
    saved = client.post(url, {f"units-{first.pk}": "70.25"})
    assert saved.url == reverse("quotas:detail", args=[proposed.pk])
    first.refresh_from_db()
    assert str(first.units) == "70.2500"


def test_the_csv_lists_every_line_exactly(client, users_by_role, proposed, company):
    client.force_login(users_by_role[Role.FINANCE])
    text = client.get(reverse("quotas:csv", args=[proposed.pk])).content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("fiscal_year,version,status,rep,rep_email,territory")
    assert len(lines) == 1 + proposed.lines.count()
    assert f"2027,1,draft,Ann,ann@example.com,{company.territories[0].code}" in text
