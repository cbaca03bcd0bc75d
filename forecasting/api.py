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

    queryset = SalesActual.objects.select_related("product", "territory").order_by(
        "period", "product__sku", "territory__code"
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
