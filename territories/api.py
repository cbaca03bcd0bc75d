from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.viewsets import ServiceModelViewSet
from sop_planner.api import valid
from territories import services
from territories.models import Region, RepAssignment, SalesRep, Territory


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


class RepAssignmentSerializer(serializers.ModelSerializer):
    territory = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RepAssignment
        fields = ["id", "territory", "valid_from", "valid_to"]


class SalesRepSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        allow_null=True,
        required=False,
    )
    assignments = RepAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = SalesRep
        fields = ["id", "name", "email", "user", "is_active", "assignments"]


class RepAssignInput(serializers.Serializer):
    territory = serializers.SlugRelatedField(slug_field="code", queryset=Territory.objects.all())
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)


class RepMoveInput(serializers.Serializer):
    territory = serializers.SlugRelatedField(slug_field="code", queryset=Territory.objects.all())
    on = serializers.DateField(help_text="The first day in the new territory.")


class SalesRepViewSet(ServiceModelViewSet):
    """Sales reps with their assignment history; the manager assigns and moves them."""

    queryset = SalesRep.objects.select_related("user").prefetch_related(
        Prefetch("assignments", queryset=RepAssignment.objects.select_related("territory"))
    )
    serializer_class = SalesRepSerializer
    service = services.sales_rep_save
    service_argument = "rep"

    @extend_schema(request=RepAssignInput, responses=SalesRepSerializer, summary="Assign a rep")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        rep = self.get_object()
        data = valid(RepAssignInput, request.data)
        services.rep_assign(
            actor=request.user,
            rep_id=rep.pk,
            territory_id=data["territory"].pk,
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
        )
        return Response(SalesRepSerializer(self.get_object()).data, status=201)

    @extend_schema(request=RepMoveInput, responses=SalesRepSerializer, summary="Move a rep")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        rep = self.get_object()
        data = valid(RepMoveInput, request.data)
        services.rep_move(
            actor=request.user, rep_id=rep.pk, territory_id=data["territory"].pk, on=data["on"]
        )
        return Response(SalesRepSerializer(self.get_object()).data, status=201)
