"""Keep demand.models.PlanRollup equal to the sums of the plan store (and 12 months of actuals).

Set-based: delete the groups a write touched and insert their sums again, in the
writer's transaction. A full refresh after a baseline load; a partial one
(families x territories) after an override or an event.
"""

from django.db import connection

from cycles.calendar import add_months
from cycles.measures import MeasureCode
from cycles.models import Cycle
from cycles.plan_bulk import TABLE
from demand.models import PlanRollup
from forecasting.models import SalesActual
from products.models import Product

ROLLUP = PlanRollup._meta.db_table
PRODUCTS = Product._meta.db_table
SALES = SalesActual._meta.db_table
MEASURES = (
    MeasureCode.BASELINE,
    MeasureCode.BASELINE_LOW,
    MeasureCode.BASELINE_HIGH,
    MeasureCode.EVENTS,
    MeasureCode.OVERRIDE,
    MeasureCode.CONSENSUS,
)


def rollup_refresh(*, cycle: Cycle, family_ids=None, territory_ids=None) -> None:
    """Recompute the rollup of these families x territories (None: all of them)."""
    where, params = _filters(family_ids, territory_ids)
    delete = where.replace("p.family_id", "family_id").replace("x.territory_id", "territory_id")
    first, last = add_months(cycle.month, -12), add_months(cycle.month, -1)
    measures = ", ".join(f"'{m}'" for m in MEASURES)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE cycle_id = %s{delete}", [cycle.pk, *params])
        cursor.execute(
            f"INSERT INTO {ROLLUP} (cycle_id, measure, family_id, territory_id, month, units, "
            "revenue, stamp) SELECT %s, x.measure, p.family_id, x.territory_id, x.month, "
            "SUM(x.value), SUM(x.value * p.unit_price), SUM(x.row_version) "
            f"FROM {TABLE} x JOIN {PRODUCTS} p ON p.id = x.product_id WHERE x.cycle_id = %s "
            f"AND x.valid_to_seq IS NULL AND x.measure IN ({measures}){where} "
            "GROUP BY x.measure, p.family_id, x.territory_id, x.month",
            [cycle.pk, cycle.pk, *params],
        )
        cursor.execute(
            f"INSERT INTO {ROLLUP} (cycle_id, measure, family_id, territory_id, month, units, "
            "revenue, stamp) SELECT %s, 'actuals', p.family_id, x.territory_id, x.period, "
            f"SUM(x.units), SUM(x.revenue), 0 FROM {SALES} x JOIN {PRODUCTS} p "
            f"ON p.id = x.product_id WHERE x.period >= %s AND x.period <= %s{where} "
            "GROUP BY p.family_id, x.territory_id, x.period",
            [cycle.pk, first, last, *params],
        )


def _filters(family_ids, territory_ids) -> tuple[str, list]:
    where, params = "", []
    for column, ids in (("p.family_id", family_ids), ("x.territory_id", territory_ids)):
        if ids is not None:
            ids = sorted(set(ids)) or [0]
            where += f" AND {column} IN ({', '.join(['%s'] * len(ids))})"
            params += ids
    return where, params


def families_of(product_ids) -> list[int]:
    return list(
        Product.objects.filter(pk__in=set(product_ids))
        .values_list("family_id", flat=True)
        .distinct()
    )
