from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from crm.models import CrmStage, Deal


def _stage(likelihood="40"):
    return CrmStage.objects.create(
        source="zendesk_sell", external_id="s1", name="Qualified", likelihood=Decimal(likelihood)
    )


def _deal(stage, **fields):
    values = {
        "source": "zendesk_sell",
        "external_id": "d1",
        "name": "Spring order",
        "stage": stage,
        "value": Decimal("1200.00"),
        "currency": "EUR",
        "expected_close": date(2027, 3, 15),
        "updated_upstream": timezone.now(),
    }
    return Deal.objects.create(**(values | fields))


@pytest.mark.django_db
def test_a_deal_without_its_own_likelihood_takes_its_stages():
    deal = _deal(_stage("40"))
    assert deal.win_likelihood == Decimal("40")
    deal.likelihood = Decimal("75")
    assert deal.win_likelihood == Decimal("75")


@pytest.mark.django_db
def test_the_same_crm_deal_is_stored_once_per_source():
    stage = _stage()
    _deal(stage)
    with pytest.raises(IntegrityError):
        _deal(stage)


@pytest.mark.django_db
def test_a_stage_likelihood_above_100_percent_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        _stage("120")
