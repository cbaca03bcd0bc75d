from rest_framework import serializers

from accounts.viewsets import ServiceModelViewSet
from products import services
from products.models import PRODUCT_FIELDS, Product, ProductFamily


class FamilySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductFamily
        fields = ["id", "code", "name"]


class ProductSerializer(serializers.ModelSerializer):
    family = serializers.SlugRelatedField(slug_field="code", queryset=ProductFamily.objects.all())

    class Meta:
        model = Product
        fields = ["id", *PRODUCT_FIELDS]


class FamilyViewSet(ServiceModelViewSet):
    queryset = ProductFamily.objects.all()
    serializer_class = FamilySerializer
    service = services.family_save
    service_argument = "family"


class ProductViewSet(ServiceModelViewSet):
    queryset = Product.objects.select_related("family")
    serializer_class = ProductSerializer
    filterset_fields = ["family__code", "is_active"]
    service = services.product_save
    service_argument = "product"
