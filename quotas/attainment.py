"""Attainment: actuals (and CRM closed-won deals) against the locked quotas, per rep and
territory, month and fiscal year to date.

A territory's actuals are its sales in the month. A rep's are their share of their
territory's sales that month, in the proportion of their quota there: a rep who moved
on 1 March is measured in February against the old territory, where their quota was.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from crm.models import Deal
from forecasting.models import SalesActual
from quotas.models import QuotaLine, QuotaYear
from quotas.proposal import attainment_percent
from quotas.selectors import locked_quota_lines
from territories.models import SalesRep, Territory


@dataclass(frozen=True)
class Attainment:
    level: str  # "rep" or "territory"
    name: str
    month: str
    quota_revenue: float
    actual_revenue: float
    attainment_pct: float | None
    ytd_quota_revenue: float
    ytd_actual_revenue: float
    ytd_attainment_pct: float | None
    crm_won_revenue: float | None  # closed-won deals in the month; None: no CRM deals at all


def _fiscal_year_of(month: date) -> int:
    return month.year


def _locked_lines() -> list[QuotaLine]:
    years = QuotaYear.objects.filter(status=QuotaYear.Status.LOCKED).values_list(
        "fiscal_year", flat=True
    )
    months = [date(y, m, 1) for y in set(years) for m in range(1, 13)]
    return list(
        locked_quota_lines(months).values_list("rep_id", "territory_id", "month", "revenue")
    )


def _actuals(months: set[date]) -> dict[tuple[int, date], float]:
    rows = (
        SalesActual.objects.filter(period__in=months)
        .values("territory_id", "period")
        .annotate(revenue=Sum("revenue"))
    )
    return {(r["territory_id"], r["period"]): float(r["revenue"]) for r in rows}


def _crm_won(months: set[date]) -> tuple[dict, dict] | None:
    """(territory, month) and (owner e-mail, month) -> closed-won value; None: no CRM."""
    if not Deal.objects.exists():
        return None
    rows = (
        Deal.objects.filter(status=Deal.Status.WON, closed_on__isnull=False)
        .annotate(month=TruncMonth("closed_on"))
        .filter(month__in=months)
        .values("territory_id", "owner_email", "month")
        .annotate(value=Sum("value_company"))
    )
    by_territory: dict = defaultdict(float)
    by_owner: dict = defaultdict(float)
    for row in rows:
        value = float(row["value"] or 0)
        by_territory[(row["territory_id"], row["month"])] += value
        by_owner[((row["owner_email"] or "").lower(), row["month"])] += value
    return by_territory, by_owner


def attainment_rows(*, through: date | None = None) -> list[Attainment]:
    """Per territory and per rep, each month with actuals up to `through`, with YTD."""
    lines = _locked_lines()
    months = {month for _r, _t, month, _v in lines if through is None or month <= through}
    actuals = _actuals(months)
    months = {month for month in months if any(key[1] == month for key in actuals)}
    if not months:
        return []
    crm = _crm_won(months)
    territory_quota: dict = defaultdict(float)
    rep_quota: dict = defaultdict(float)
    for rep_id, territory_id, month, revenue in lines:
        if month in months:
            territory_quota[(territory_id, month)] += float(revenue)
            if rep_id:
                rep_quota[(rep_id, territory_id, month)] += float(revenue)
    rows = _territory_rows(territory_quota, actuals, crm)
    rows += _rep_rows(rep_quota, territory_quota, actuals, crm)
    return rows


def _territory_rows(quota: dict, actuals: dict, crm) -> list[Attainment]:
    names = dict(Territory.objects.values_list("pk", "name"))
    figures = {
        (names[t], month): (
            q,
            actuals.get((t, month), 0.0),
            crm[0].get((t, month), 0.0) if crm else None,
        )
        for (t, month), q in quota.items()
    }
    return _with_ytd("territory", figures)


def _rep_rows(rep_quota: dict, territory_quota: dict, actuals: dict, crm) -> list[Attainment]:
    reps = {rep.pk: rep for rep in SalesRep.objects.all()}
    figures: dict = defaultdict(lambda: [0.0, 0.0, None])
    for (rep_id, t, month), q in rep_quota.items():
        share = q / territory_quota[(t, month)] if territory_quota[(t, month)] else 0.0
        cell = figures[(reps[rep_id].name, month)]
        cell[0] += q
        cell[1] += share * actuals.get((t, month), 0.0)
        if crm:
            cell[2] = crm[1].get((reps[rep_id].email.lower(), month), 0.0)
    return _with_ytd("rep", {key: tuple(value) for key, value in figures.items()})


def _with_ytd(level: str, figures: dict) -> list[Attainment]:
    """Rows in name and month order, each with its fiscal year-to-date sums."""
    rows, running = [], {}
    for (name, month), (quota, actual, won) in sorted(figures.items()):
        key = (name, _fiscal_year_of(month))
        ytd_q, ytd_a = running.get(key, (0.0, 0.0))
        ytd_q, ytd_a = ytd_q + quota, ytd_a + actual
        running[key] = (ytd_q, ytd_a)
        rows.append(
            Attainment(
                level=level,
                name=name,
                month=f"{month:%Y-%m}",
                quota_revenue=round(quota, 2),
                actual_revenue=round(actual, 2),
                attainment_pct=attainment_percent(actual, quota),
                ytd_quota_revenue=round(ytd_q, 2),
                ytd_actual_revenue=round(ytd_a, 2),
                ytd_attainment_pct=attainment_percent(ytd_a, ytd_q),
                crm_won_revenue=None if won is None else round(won, 2),
            )
        )
    return rows


def company_attainment(month: date) -> tuple[float | None, float | None]:
    """The company's attainment in a month and fiscal year to date through it, in %."""
    return company_attainments([month])[month]


def company_attainments(months: list[date]) -> dict[date, tuple[float | None, float | None]]:
    """month -> company_attainment(month), for many months in two queries (the KPI trend)."""
    wanted = sorted({date(m.year, n, 1) for m in months for n in range(1, m.month + 1)})
    quota = dict(
        locked_quota_lines(wanted)
        .values("month")
        .annotate(total=Sum("revenue"))
        .values_list("month", "total")
    )
    actual = dict(
        SalesActual.objects.filter(period__in=list(quota))
        .values("period")
        .annotate(total=Sum("revenue"))
        .values_list("period", "total")
    )
    return {month: _attainment(month, quota, actual) for month in months}


def _attainment(
    month: date, quota_all: dict, actual_all: dict
) -> tuple[float | None, float | None]:
    """Attainment in the month and its fiscal year to date from the monthly totals."""
    in_year = [date(month.year, m, 1) for m in range(1, month.month + 1)]
    quota = {m: quota_all[m] for m in in_year if m in quota_all}
    actual = {m: actual_all[m] for m in quota if m in actual_all}
    if month not in quota or month not in actual:
        return None, None
    month_pct = attainment_percent(float(actual[month]), float(quota[month]))
    ytd_pct = attainment_percent(
        float(sum(actual.values())), float(sum(v for m, v in quota.items() if m in actual))
    )
    return month_pct, ytd_pct
