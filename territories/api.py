from rest_framework import serializers

from sop_planner.api import ServiceModelViewSet
from territories import services
from territories.models import Region, Territory


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class TerritorySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    planners = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Territory
        fields = ["id", "code", "name", "region", "is_active", "planners"]


class RegionViewSet(ServiceModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    service = services.region_save
    service_argument = "region"


class TerritoryViewSet(ServiceModelViewSet):
    queryset = Territory.objects.select_related("region").prefetch_related("planners")
    serializer_class = TerritorySerializer
    filterset_fields = ["region__code", "is_active"]
    service = services.territory_save
    service_argument = "territory"
