"""Load the demo company. Idempotent: what exists is kept, what is missing is added."""

from datetime import date
from decimal import Decimal

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.services import user_roles_seed
from crm.demo_deals import demo_deals_load
from cycles import opening
from cycles.calendar import add_months, month_start
from cycles.models import CalendarMonth, Cycle
from cycles.services import cycle_open_automatically
from demo import generator, history
from demo.history_load import demo_history_load
from demo.pipeline_history import DemoPipelineHistory
from demo.quotas import demo_quotas_load, demo_reps_load
from demo.users import DEMO_PASSWORD, DEMO_USERS, planner_region
from forecasting.models import SalesActual
from products.models import Product, ProductFamily
from reassessment.services import scores_recompute
from territories.models import Region, Territory, TerritoryAssignment

BATCH = 5000


def demo_company_load(
    *,
    today: date,
    seed: int = 42,
    series: int | None = None,
    history: bool = True,
    pipeline: bool | None = None,
) -> dict:
    """Create the demo company for the cycle of today's month; returns counts.

    `history`: also the twelve released cycles before it (benchmarks of a large
    company leave them out: a year of plans for 10,000 series is millions of rows).
    `pipeline`: the last history cycles froze a CRM pipeline of closed history deals
    (default: the default company only, like its open deals).
    """
    pipeline = series is None if pipeline is None else pipeline
    month = month_start(today)
    skus = generator.skus_for_series(series) if series else 150
    spec = generator.DemoSpec(end_month=add_months(month, -1), seed=seed, skus=skus)
    company = generator.build_company(spec)
    with transaction.atomic():
        _load_hierarchies(company)
        users = _load_users()
        _load_calendar(month)
    loaded = _load_sales(company, spec) if not SalesActual.objects.exists() else 0
    # The history's cycles are each open while their plan is written, then released: the
    # month's own cycle opens after them (one cycle in progress at a time).
    cycles_added = _load_history(company, spec, users, pipeline=pipeline) if history else 0
    _open_cycle(month, owner=users["manager"])
    deals_added = 0 if series else demo_deals_load(today=today, admin=users["admin"], seed=seed)
    if cycles_added:
        scores_recompute()  # a new user sees the accuracy trend and value added at once
    demo_reps_load(today=today)
    demo_quotas_load(manager=users["manager"])
    return {
        "territories": Territory.objects.count(),
        "products": Product.objects.count(),
        "actual_rows_added": loaded,
        "actual_rows": SalesActual.objects.count(),
        "past_cycles_added": cycles_added,
        "deals_added": deals_added,
    }


def _load_hierarchies(company: generator.Company) -> None:
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in company.regions
    }
    for code, name, region_code in company.territories:
        Territory.objects.get_or_create(
            code=code, defaults={"name": name, "region": regions[region_code]}
        )
    families = {
        code: ProductFamily.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in company.families
    }
    existing = set(Product.objects.values_list("sku", flat=True))
    Product.objects.bulk_create(
        [
            _product(spec, families[spec.family])
            for spec in company.products
            if spec.sku not in existing
        ],
        batch_size=BATCH,
    )


def _product(spec: generator.ProductSpec, family: ProductFamily) -> Product:
    return Product(
        sku=spec.sku,
        name=spec.name,
        family=family,
        unit_price=Decimal(str(spec.unit_price)),
        unit_cost=Decimal(str(spec.unit_cost)),
        launch_month=spec.launch_month,
        discontinued_month=spec.discontinued_month,
        is_active=spec.discontinued_month is None,
    )


def _load_users() -> dict:
    User = get_user_model()
    users = {}
    for username, full_name, role in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user_roles_seed(user=user, roles=[role])
            _assign_planner(user)
        users[username] = user
    return users


def _assign_planner(user) -> None:
    region = planner_region(user.username)
    if region:
        for territory in Territory.objects.filter(region__code=region):
            TerritoryAssignment.objects.get_or_create(territory=territory, user=user)


def _load_calendar(month: date) -> None:
    for offset in range(-1, 13):
        current = add_months(month, offset)
        holidays = _public_holidays(current)
        CalendarMonth.objects.get_or_create(month=current, defaults={"holidays": holidays})


def _public_holidays(month: date) -> list[str]:
    fixed = {1: [1], 5: [1], 12: [25, 26]}
    return [date(month.year, month.month, day).isoformat() for day in fixed.get(month.month, [])]


def _open_cycle(month: date, *, owner) -> None:
    """This month's cycle, unless a cycle is still in progress (a demo seeded last month):
    that one stays open, as the monthly job leaves it."""
    if Cycle.objects.filter(month=month).exists() or opening.cycle_open_refusal() is not None:
        return
    cycle_open_automatically(month=month, owner=owner, reason="Demo company")


def _load_history(
    company: generator.Company, spec: generator.DemoSpec, users: dict, *, pipeline: bool
) -> int:
    """The twelve released cycles before the open one (generated only when one is missing).

    Each is open while its plan is written: with a cycle already in progress (a demo seeded
    in an earlier month) none can be, so that demo keeps the history it has."""
    months = history.history_months(spec)
    if Cycle.objects.filter(month__in=months).count() == len(months):
        return 0
    if opening.cycle_open_refusal() is not None:
        return 0
    sales = _drop_late_territory(generator.build_sales(company, spec), spec.end_month)
    freeze = DemoPipelineHistory(months, seed=spec.seed).freeze if pipeline else None
    data = history.build_history(company, spec, sales)
    return demo_history_load(data=data, users=users, freeze=freeze)


def _load_sales(company: generator.Company, spec: generator.DemoSpec) -> int:
    sales = _drop_late_territory(generator.build_sales(company, spec), spec.end_month)
    product_ids = dict(Product.objects.values_list("sku", "id"))
    territory_ids = dict(Territory.objects.values_list("code", "id"))
    prices = {sku: p.unit_price for sku, p in ((p.sku, p) for p in Product.objects.all())}
    written = 0
    for start in range(0, len(sales), BATCH):
        chunk = sales.iloc[start : start + BATCH]
        rows = [_actual(row, product_ids, territory_ids, prices) for row in chunk.itertuples()]
        with transaction.atomic():
            SalesActual.objects.bulk_create(rows, ignore_conflicts=True)
        written += len(rows)
    return written


def _drop_late_territory(sales: pd.DataFrame, last_month: date) -> pd.DataFrame:
    """One territory has not reported its last month yet: the data-gathering gate has work."""
    late = (sales["territory"] == "baltic") & (sales["period"] == last_month)
    return sales.loc[~late]


def _actual(row, product_ids: dict, territory_ids: dict, prices: dict) -> SalesActual:
    units = Decimal(int(row.units))
    return SalesActual(
        product_id=product_ids[row.sku],
        territory_id=territory_ids[row.territory],
        period=row.period,
        units=units,
        revenue=units * prices[row.sku],
    )
