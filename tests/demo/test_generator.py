"""The demo company is realistic enough for every screen, and the same for the same seed."""

from datetime import date

import numpy as np
import pytest

from demo.generator import DemoSpec, build_company, build_sales, skus_for_series

SPEC = DemoSpec(end_month=date(2026, 10, 1))


@pytest.fixture(scope="module")
def company():
    return build_company(SPEC)


@pytest.fixture(scope="module")
def sales(company):
    return build_sales(company, SPEC)


def test_company_has_the_promised_size(company):
    assert len(company.regions) >= 3 and len(company.territories) >= 12
    assert len({p.family for p in company.products}) >= 8 and len(company.products) >= 150


def test_same_seed_same_company_other_seed_other_sales(company, sales):
    again = build_sales(build_company(SPEC), SPEC)
    assert sales.equals(again)
    other_spec = DemoSpec(end_month=SPEC.end_month, seed=7)
    other = build_sales(build_company(other_spec), other_spec)
    assert not sales["units"].equals(other["units"])


def test_active_series_have_48_months_ending_last_month(company, sales):
    steady = {p.sku for p in company.products if p.pattern == "smooth"}
    months = (
        sales[sales["sku"].isin(steady)]
        .groupby(["sku", "territory"])["period"]
        .agg(["count", "max"])
    )
    assert (months["count"] == 48).all() and (months["max"] == SPEC.end_month).all()


def test_all_series_shapes_are_present(company):
    patterns = {p.pattern for p in company.products}
    assert patterns == {"smooth", "erratic", "intermittent", "new", "discontinued"}


def test_new_products_sell_only_from_launch(company, sales):
    new = next(p for p in company.products if p.pattern == "new")
    periods = sales.loc[sales["sku"] == new.sku, "period"]
    assert periods.min() == new.launch_month


def test_discontinued_products_stop_selling(company, sales):
    gone = next(p for p in company.products if p.pattern == "discontinued")
    assert sales.loc[sales["sku"] == gone.sku, "period"].max() < gone.discontinued_month


def test_intermittent_series_have_many_zero_months(company, sales):
    skus = {p.sku for p in company.products if p.pattern == "intermittent"}
    share_zero = (sales.loc[sales["sku"].isin(skus), "units"] == 0).mean()
    assert share_zero > 0.25


def test_smooth_series_are_seasonal(company, sales):
    """The same calendar month correlates across years for a seasonal product."""
    sku = next(p.sku for p in company.products if p.pattern == "smooth")
    monthly = sales[sales["sku"] == sku].groupby("period")["units"].sum().to_numpy()
    assert np.corrcoef(monthly[:-12], monthly[12:])[0, 1] > 0.3


def test_units_are_whole_and_never_negative(sales):
    assert (sales["units"] >= 0).all() and (sales["units"] % 1 == 0).all()


def test_scale_sizes_the_company_in_series():
    assert skus_for_series(10_000) * 12 >= 10_000
