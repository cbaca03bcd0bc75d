"""Writes of quotas: propose from the released consensus, edit, approve and lock, draft a
new version; decisions on gaps between quota and plan. Each checks, writes and audits."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import ensure_allowed
from accounts.typing import User
from audit.models import AuditEvent
from audit.services import audit_record, audit_record_many
from quotas import selectors
from quotas.decisions import quota_gap_decide  # noqa: F401  (the app's one write path)
from quotas.models import QuotaLine, QuotaYear
from quotas.proposal import fiscal_months, proposed_lines
from sop_planner.errors import DomainError, Missing, NotAllowed
from sop_planner.numbers import Convention, NotANumber, read_plan_figure

EDITABLE = ("units", "revenue")
PLACES = 4  # QuotaLine figures are NUMERIC(18, 4): more decimals would be rounded


def stretch_parsed(text: str) -> Decimal:
    """The stretch factor as typed ('1.05'), or a refusal naming it."""
    try:
        stretch = read_plan_figure(str(text).strip(), Convention.DECIMAL_POINT)
    except (NotANumber, ValueError) as error:
        raise DomainError(f"Stretch factor {text!r} {error}.") from None
    if stretch <= 0 or stretch > 10 or -stretch.as_tuple().exponent > PLACES:  # type: ignore[operator]  # finite: read_plan_figure refuses NaN and infinity
        raise DomainError(
            f"Stretch factor {text!r} is not allowed: give a number above 0 and at most 10 "
            "with up to 4 decimals (1.05 asks 5% more than the plan)."
        )
    return stretch


@transaction.atomic
def quota_propose(*, actor: User, fiscal_year: int, stretch: str) -> QuotaYear:
    """A draft of the year's quotas from the newest released consensus, times the stretch.

    An existing draft of the year is proposed anew (its lines replaced); a locked year
    gets a new version.
    """
    ensure_allowed(actor, "quotas.edit")
    factor = stretch_parsed(stretch)
    months = fiscal_months(fiscal_year)
    cycle = selectors.quota_source_cycle(months)
    if cycle is None:
        raise DomainError("There is no released plan yet: quotas are proposed from one.")
    cells = selectors.consensus_cells(cycle, months)
    if not cells:
        raise DomainError(
            f"The released plan of {cycle} has no consensus in fiscal year {fiscal_year}: "
            f"it covers {cycle.horizon()[0]:%Y-%m} to {cycle.horizon()[-1]:%Y-%m}."
        )
    quota_year = _draft_of(fiscal_year, actor)
    quota_year.stretch, quota_year.source_cycle = factor, cycle
    quota_year.save(update_fields=["stretch", "source_cycle"])
    quota_year.lines.all().delete()
    lines = proposed_lines(cells, stretch=factor, reps=selectors.reps_by_territory_month(months))
    QuotaLine.objects.bulk_create(
        QuotaLine(
            quota_year=quota_year,
            rep_id=line.rep_id,
            territory_id=line.territory_id,
            family_id=line.family_id,
            month=line.month,
            units=line.units,
            revenue=line.revenue,
        )
        for line in lines
    )
    audit_record(
        actor=actor,
        action="quota.propose",
        obj=quota_year,
        after={"stretch": str(factor), "from": str(cycle), "lines": len(lines)},
    )
    return quota_year


def _draft_of(fiscal_year: int, actor: User) -> QuotaYear:
    draft = QuotaYear.objects.select_for_update().filter(
        fiscal_year=fiscal_year, status=QuotaYear.Status.DRAFT
    )
    if draft.exists():
        return draft.get()
    newest = QuotaYear.objects.filter(fiscal_year=fiscal_year).aggregate(v=Max("version"))["v"]
    cycle = selectors.newest_released_cycle()
    assert cycle is not None, "quota_propose refuses when no plan is released"
    return QuotaYear.objects.create(
        fiscal_year=fiscal_year,
        version=(newest or 0) + 1,
        stretch=Decimal(1),
        source_cycle=cycle,
        created_by=actor,
    )


def _locked_year(quota_year_id: int) -> QuotaYear:
    quota_year = QuotaYear.objects.select_for_update().filter(pk=quota_year_id).first()
    if quota_year is None:
        raise Missing(f"There are no quotas with id {quota_year_id}.")
    return quota_year


def _refuse_if_locked(quota_year: QuotaYear) -> None:
    if quota_year.is_locked:
        raise NotAllowed(
            f"{quota_year} was approved on {quota_year.approved_at:%Y-%m-%d %H:%M} and is "
            "locked: draft a new version to change it."
        )


def figure_parsed(text, where: str) -> Decimal:
    """A quota figure exactly as typed, or a refusal naming where it was typed."""
    try:
        number = read_plan_figure(str(text).strip(), Convention.DECIMAL_POINT)
    except (NotANumber, ValueError) as error:
        raise DomainError(f"{where}: {str(text)!r} {error}.") from None
    if -number.as_tuple().exponent > PLACES:  # type: ignore[operator]  # finite: read_plan_figure refuses NaN and infinity
        raise DomainError(f"{where}: {text!r} has more than {PLACES} decimals; quotas keep 4.")
    return number


@transaction.atomic
def quota_lines_set(*, actor: User, quota_year_id: int, changes: dict[int, dict[str, str]]) -> int:
    """Set figures of a draft's lines exactly as typed: every figure is checked first,
    then only the changed ones are written, each audited. Returns how many changed."""
    ensure_allowed(actor, "quotas.edit")
    quota_year = _locked_year(quota_year_id)
    _refuse_if_locked(quota_year)
    rows = quota_year.lines.select_for_update(of=("self",)).filter(pk__in=changes).order_by("pk")
    lines = {line.pk: line for line in rows}
    parsed, errors = _parsed_changes(lines, changes)
    if errors:
        raise DomainError("Nothing was saved: " + " ".join(errors), items=errors)
    events = []
    for line, field, number in parsed:
        before = getattr(line, field)
        if before == number:
            continue
        setattr(line, field, number)
        events.append(_line_event(actor, line, field, before, number))
    QuotaLine.objects.bulk_update([line for line, _f, _n in parsed], list(EDITABLE))
    audit_record_many(events)
    return len(events)


def _parsed_changes(lines: dict, changes: dict) -> tuple[list, list[str]]:
    parsed, errors = [], []
    for line_id, fields in changes.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(f"Line {line_id} is not a line of these quotas.")
            continue
        for field, text in fields.items():
            if field not in EDITABLE:
                errors.append(f"{line}: {field!r} cannot be changed (only units and revenue).")
                continue
            try:
                parsed.append((line, field, figure_parsed(text, f"{line}, {field}")))
            except DomainError as error:
                errors.append(error.message)
    return parsed, errors


def _line_event(actor: User, line: QuotaLine, field: str, before, after) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        action="quota.edit",
        object_type=line._meta.label,
        object_id=str(line.pk),
        object_repr=str(line)[:200],
        before={field: str(before)},
        after={field: str(after)},
        territory_id=line.territory_id,
    )


@transaction.atomic
def quota_approve(*, actor: User, quota_year_id: int) -> QuotaYear:
    """Approve a draft: it is locked, and becomes the year's quota."""
    ensure_allowed(actor, "quotas.approve")
    quota_year = _locked_year(quota_year_id)
    _refuse_if_locked(quota_year)
    if not quota_year.lines.exists():
        raise DomainError(f"{quota_year} has no lines: propose them first.")
    quota_year.status, quota_year.approved_by = QuotaYear.Status.LOCKED, actor
    quota_year.approved_at = timezone.now()
    quota_year.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=actor, action="quota.approve", obj=quota_year, after={"status": "locked"})
    return quota_year


@transaction.atomic
def quota_new_version(*, actor: User, quota_year_id: int) -> QuotaYear:
    """A new draft version copied from a locked one, to change an approved year."""
    ensure_allowed(actor, "quotas.edit")
    source = _locked_year(quota_year_id)
    if not source.is_locked:
        raise DomainError(f"{source} is still a draft: change it directly.")
    if QuotaYear.objects.filter(fiscal_year=source.fiscal_year, status="draft").exists():
        raise DomainError(f"Fiscal year {source.fiscal_year} already has a draft: change that.")
    newest = QuotaYear.objects.filter(fiscal_year=source.fiscal_year).aggregate(v=Max("version"))
    draft = QuotaYear.objects.create(
        fiscal_year=source.fiscal_year,
        version=newest["v"] + 1,
        stretch=source.stretch,
        source_cycle=source.source_cycle,
        created_by=actor,
    )
    QuotaLine.objects.bulk_create(
        QuotaLine(
            quota_year=draft,
            rep_id=line.rep_id,
            territory_id=line.territory_id,
            family_id=line.family_id,
            month=line.month,
            units=line.units,
            revenue=line.revenue,
        )
        for line in source.lines.all()
    )
    audit_record(actor=actor, action="quota.new_version", obj=draft, after={"from": str(source)})
    return draft
