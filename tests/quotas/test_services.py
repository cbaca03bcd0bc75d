"""Quotas proposed from the released plan, edited exactly as typed, approved and locked."""

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from cycles.stages import Stage
from quotas import services
from quotas.models import QuotaLine, QuotaYear
from sop_planner.errors import DomainError, NotAllowed
from tests.factories import CycleFactory, mark_released
from tests.supply.plan_data import put_consensus

pytestmark = pytest.mark.django_db


def test_the_proposal_is_the_released_consensus_times_the_stretch(proposed, company, reps):
    ann, _bob = reps
    lines = proposed.lines.all()
    assert {line.month for line in lines} == {date(2027, m, 1) for m in range(1, 11)}
    feb_t0 = lines.get(territory=company.territories[0], month=date(2027, 2, 1))
    assert (feb_t0.rep, feb_t0.units, feb_t0.revenue) == (ann, Decimal("63"), Decimal("630"))
    mar_t0 = lines.get(territory=company.territories[0], month=date(2027, 3, 1))
    assert mar_t0.rep is None  # Ann moved to territory 1 on 1 March
    mar_t1 = lines.filter(territory=company.territories[1], month=date(2027, 3, 1))
    assert sorted((line.rep.name, line.units) for line in mar_t1) == [
        ("Ann", Decimal("26.25")),
        ("Bob", Decimal("26.25")),
    ]
    assert AuditEvent.objects.filter(action="quota.propose").count() == 1


@pytest.mark.parametrize("stretch", ["abc", "0", "-1.05", "1,05", "1.00005"])
def test_a_bad_stretch_is_refused_naming_it(released, manager, stretch):
    with pytest.raises(DomainError, match="Stretch factor"):
        services.quota_propose(actor=manager, fiscal_year=2027, stretch=stretch)
    assert not QuotaYear.objects.exists()


def test_without_a_released_plan_nothing_is_proposed(company, manager):
    with pytest.raises(DomainError, match="no released plan"):
        services.quota_propose(actor=manager, fiscal_year=2027, stretch="1")


def test_an_edit_lands_exactly_as_typed_and_is_audited(proposed, manager):
    line = proposed.lines.first()
    changed = services.quota_lines_set(
        actor=manager, quota_year_id=proposed.pk, changes={line.pk: {"units": "1,234.5678"}}
    )
    line.refresh_from_db()
    assert changed == 1 and line.units == Decimal("1234.5678")
    event = AuditEvent.objects.get(action="quota.edit")
    assert event.before == {"units": "63.0000"} and event.after == {"units": "1234.5678"}


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("-5", "must be 0 or more"),
        ("12,5", "is not a number"),
        ("1.23456", "more than 4 decimals"),
    ],
)
def test_a_bad_figure_is_refused_by_name_and_nothing_changes(proposed, manager, typed, words):
    first, second = proposed.lines.all()[:2]
    with pytest.raises(DomainError, match=words):
        services.quota_lines_set(
            actor=manager,
            quota_year_id=proposed.pk,
            changes={first.pk: {"units": "70"}, second.pk: {"revenue": typed}},
        )
    first.refresh_from_db()
    assert first.units == Decimal("63") and not AuditEvent.objects.filter(action="quota.edit")


def test_a_locked_year_refuses_edits_and_a_new_version_copies_it(locked, manager):
    line = locked.lines.first()
    with pytest.raises(NotAllowed, match="locked: draft a new version"):
        services.quota_lines_set(
            actor=manager, quota_year_id=locked.pk, changes={line.pk: {"units": "1"}}
        )
    draft = services.quota_new_version(actor=manager, quota_year_id=locked.pk)
    assert (draft.version, draft.status) == (2, "draft")
    approved = AuditEvent.objects.get(action="quota.approve", object_id=str(locked.pk))
    assert (approved.actor, approved.after) == (manager, {"status": "locked"})
    assert AuditEvent.objects.filter(action="quota.new_version", object_id=str(draft.pk)).exists()
    assert draft.lines.count() == locked.lines.count()
    assert QuotaLine.objects.get(pk=line.pk).units == Decimal("63")


def test_only_the_manager_proposes_and_approves(proposed, users_by_role):
    from accounts.roles import Role

    for role in (Role.FINANCE, Role.SALES_OPS_ANALYST, Role.EXECUTIVE):
        with pytest.raises(NotAllowed):
            services.quota_approve(actor=users_by_role[role], quota_year_id=proposed.pk)
    assert QuotaYear.objects.get(pk=proposed.pk).status == "draft"


def test_a_year_under_way_takes_its_quotas_from_the_plan_released_at_its_start(
    released, reps, company, manager
):
    """The plan of 2026-01 planned all of 2026; the newer one of 2026-11 no longer plans its
    past months, so 2026's quotas come from the January plan, 2027's from November's."""
    january = CycleFactory(month=date(2026, 1, 1), owner=manager, stage=Stage.SIGN_OFF.value)
    put_consensus(january, company.products[0], company.territories[0], [40] * 12)
    mark_released(january)

    year_2026 = services.quota_propose(actor=manager, fiscal_year=2026, stretch="1.05")
    assert year_2026.source_cycle == january
    months = set(year_2026.lines.values_list("month", flat=True))
    assert len(months) == 12 and min(months) == date(2026, 1, 1)
    assert set(year_2026.lines.values_list("units", flat=True)) == {Decimal("42.0000")}
    year_2027 = services.quota_propose(actor=manager, fiscal_year=2027, stretch="1.05")
    assert year_2027.source_cycle == released
