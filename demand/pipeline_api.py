"""The API of the pipeline in demand planning: the CRM deals behind one grid cell."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from demand import pipeline_reads
from demand.api import ScopeFields, cycle_or_404, valid
from demand.scope import Scope


class DealsParams(ScopeFields):
    month = serializers.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"], help_text="The cell's month, YYYY-MM"
    )


class DealBehindSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.CharField()
    owner = serializers.CharField()
    stage = serializers.CharField()
    likelihood = serializers.DecimalField(max_digits=5, decimal_places=2)
    learned_likelihood = serializers.DecimalField(max_digits=7, decimal_places=2)
    expected_close = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField()
    value_company = serializers.DecimalField(max_digits=16, decimal_places=2)
    territory = serializers.CharField()
    weighted_units = serializers.DecimalField(max_digits=18, decimal_places=3)
    weighted_revenue = serializers.DecimalField(max_digits=18, decimal_places=2)


class DealsBehindSerializer(serializers.Serializer):
    deals = DealBehindSerializer(many=True)
    hidden = serializers.IntegerField(
        help_text="Deals in this cell in territories the user does not plan (not listed)"
    )
    scope_words = serializers.CharField()
    note = serializers.CharField(
        help_text="For a released plan: the figure is frozen at release, the deals are today's"
    )


class PipelineDealsView(APIView):
    @extend_schema(
        parameters=[DealsParams],
        responses=DealsBehindSerializer,
        summary="The open CRM deals behind one pipeline cell, weighted by their likelihood",
    )
    def get(self, request, cycle_id: int):
        ensure_allowed(request.user, "cycle.view")
        params = valid(DealsParams, request.query_params)
        behind = pipeline_reads.deals_behind(
            cycle=cycle_or_404(cycle_id),
            user=request.user,
            scope=Scope.from_filters(params),
            month=params["month"],
        )
        return Response(DealsBehindSerializer(behind).data)
