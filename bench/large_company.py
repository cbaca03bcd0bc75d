"""The large demo company the benchmarks share, and the users they act as.

Called after django.setup(). The company is loaded once per database (about
10,000 SKU x territory series, 48 months, and, when asked, the demo's year of
released plans) and reused by every later run.
"""

from datetime import date


def ensure_large_company(*, history: bool = False) -> None:
    """`history`: with the demo's twelve released cycles too (about 5.5 million plan
    figures, ~13 minutes once), so pages of released plans, versions and reassessment
    have something to read."""
    from cycles.models import Cycle
    from demo.services import demo_company_load
    from products.models import Product

    missing = Product.objects.count() < 800
    if history and not Cycle.objects.filter(status=Cycle.Status.RELEASED).exists():
        missing = True
    if missing:
        print("loading the demo company at --scale 10000 (once)...", flush=True)
        demo_company_load(today=date.today(), series=10_000, history=history)


def bench_user(username: str, role):
    """A user with exactly this role, fresh from the database (roles are cached per instance)."""
    from django.contrib.auth import get_user_model

    from accounts.services import user_roles_seed

    user, _ = get_user_model().objects.get_or_create(username=username)
    user_roles_seed(user=user, roles=[role])
    return get_user_model().objects.get(pk=user.pk)
