"""The demo company's sales reps (one moved territory in the past year) and an approved,
locked quota year proposed from its newest released plan."""

from collections import Counter
from datetime import date

from cycles.calendar import add_months, month_start
from quotas import selectors as quota_selectors
from quotas import services as quota_services
from quotas.models import QuotaYear
from quotas.proposal import fiscal_months
from territories.models import RepAssignment, SalesRep
from territories.periods import day_before
from territories.selectors import active_territories

STRETCH = "1.05"


def demo_reps_load(*, today: date) -> int:
    """One rep per active territory since two years back; the first rep moves to the
    second territory four months ago (their earlier months stay with the old territory)."""
    if SalesRep.objects.exists():
        return 0
    start = date(today.year - 2, 1, 1)
    territories = list(active_territories().order_by("code"))
    for territory in territories:
        rep = SalesRep.objects.create(
            name=f"{territory.name} Rep", email=f"rep-{territory.code}@demo.example"
        )
        RepAssignment.objects.create(rep=rep, territory=territory, valid_from=start)
    if len(territories) > 1:
        moved_on = add_months(month_start(today), -4)
        mover = SalesRep.objects.get(email=f"rep-{territories[0].code}@demo.example")
        RepAssignment.objects.filter(rep=mover).update(valid_to=day_before(moved_on))
        RepAssignment.objects.create(rep=mover, territory=territories[1], valid_from=moved_on)
    return len(territories)


def demo_quotas_load(*, manager) -> QuotaYear | None:
    """Propose and lock the fiscal year the newest released plan covers most, and the year
    before it when a released plan covered its start (so attainment has a year to date)."""
    cycle = quota_selectors.newest_released_cycle()
    if cycle is None or QuotaYear.objects.exists():
        return None
    year = Counter(month.year for month in cycle.horizon()).most_common(1)[0][0]
    before = fiscal_months(year - 1)
    earlier = quota_selectors.quota_source_cycle(before)
    if earlier is not None and before[0] in earlier.horizon():
        _locked_year(manager, year - 1)
    return _locked_year(manager, year)


def _locked_year(manager, year: int) -> QuotaYear:
    proposed = quota_services.quota_propose(actor=manager, fiscal_year=year, stretch=STRETCH)
    return quota_services.quota_approve(actor=manager, quota_year_id=proposed.pk)
