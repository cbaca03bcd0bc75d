from rest_framework import serializers, viewsets

from accounts.permissions import ensure_allowed
from forecasting.models import SalesActual
from products.models import Product
from sop_planner.pagination import KeysetPagination
from territories.models import Territory


class ActualsPagination(KeysetPagination):
    """In the order of the one-actual-per-series-month index: a page is a range of it, found
    by the last row's key (an offset read and skipped every earlier row: 0.2-0.4 s deep in
    a 10,000-series company); products and territories are read after, for the page only."""

    ordering = ("territory_id", "period", "product_id")


class SalesActualSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="sku", read_only=True)
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SalesActual
        fields = ["product", "territory", "period", "units", "revenue"]


class SalesActualViewSet(viewsets.ReadOnlyModelViewSet):
    """Sales history, read-only here: it changes only through uploads. Paged by key: follow
    `next` (`?after=` the last row's key), `?limit=` up to 1,000 rows a page."""

    # Sorting by SKU and territory code sorted all 445,000 rows of a 10,000-series
    # company for every page (0.3-1 s): the pagination orders by the index instead.
    # The page's SQL took ~6 ms of ~150 ms: the rest was building 1,000 model instances
    # and running them through a ModelSerializer, so a page is read and written as plain rows.
    queryset = SalesActual.objects.select_related("product", "territory").order_by(
        *ActualsPagination.ordering
    )
    serializer_class = SalesActualSerializer
    pagination_class = ActualsPagination
    filterset_fields = {
        "period": ["exact", "gte", "lte"],
        "territory__code": ["exact"],
        "product__sku": ["exact"],
    }

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).values(
            *ActualsPagination.ordering, "units", "revenue"
        )
        rows = self.paginate_queryset(rows)
        return self.get_paginated_response(_plain(rows))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "actuals.view")


def _plain(page: list[dict]) -> list[dict]:
    """The page as SalesActualSerializer writes it, without a serializer per row: SKUs and
    territory codes read once for the page, decimals as their text."""
    skus = dict(
        Product.objects.filter(pk__in={r["product_id"] for r in page}).values_list("pk", "sku")
    )
    codes = dict(
        Territory.objects.filter(pk__in={r["territory_id"] for r in page}).values_list(
            "pk", "code"
        )
    )
    return [
        {
            "product": skus[row["product_id"]],
            "territory": codes[row["territory_id"]],
            "period": row["period"].isoformat(),
            "units": f"{row['units']:.3f}",
            "revenue": f"{row['revenue']:.2f}",
        }
        for row in page
    ]
