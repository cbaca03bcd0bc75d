from rest_framework import serializers, viewsets

from accounts.permissions import ensure_allowed
from forecasting.models import SalesActual


class SalesActualSerializer(serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="sku", read_only=True)
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SalesActual
        fields = ["product", "territory", "period", "units", "revenue"]


class SalesActualViewSet(viewsets.ReadOnlyModelViewSet):
    """Sales history, read-only here: it changes only through uploads."""

    # In the order of the one-actual-per-series-month index: a page is a range of it, its
    # products and territories read after (a join per skipped row made deep pages slow).
    # Sorting by SKU and territory code sorted all 445,000 rows of a 10,000-series
    # company for every page (0.3-1 s).
    queryset = SalesActual.objects.prefetch_related("product", "territory").order_by(
        "territory_id", "period", "product_id"
    )
    serializer_class = SalesActualSerializer
    filterset_fields = {
        "period": ["exact", "gte", "lte"],
        "territory__code": ["exact"],
        "product__sku": ["exact"],
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        ensure_allowed(request.user, "actuals.view")
