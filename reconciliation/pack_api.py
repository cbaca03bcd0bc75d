"""The executive pack through the API: ask for it (the same service as the sign-off page),
then follow the build until its files can be downloaded."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import ensure_allowed
from cycles.models import Cycle
from reconciliation import pack_services, selectors
from reconciliation.models import PackBuild


class PackSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField(help_text="Download link once the pack is ready.")
    xlsx = serializers.SerializerMethodField(help_text="Download link once the pack is ready.")

    class Meta:
        model = PackBuild
        fields = ["id", "cycle", "version_seq", "released", "status", "step", "progress",
                  "error", "requested_at", "finished_at", "pdf", "xlsx"]  # fmt: skip

    def get_pdf(self, build: PackBuild) -> str | None:
        return _link(build, "pdf")

    def get_xlsx(self, build: PackBuild) -> str | None:
        return _link(build, "xlsx")


def _link(build: PackBuild, fmt: str) -> str | None:
    if build.status != PackBuild.Status.DONE:
        return None
    return reverse("reconciliation:pack-download", args=[build.pk, fmt])


class PackApi(APIView):
    @extend_schema(
        request=None,
        responses={200: PackSerializer, 202: PackSerializer},
        summary="Ask for the cycle's executive pack (202: a worker builds it; 200: kept)",
    )
    def post(self, request, pk: int):
        ensure_allowed(request.user, "cycle.view")
        cycle = get_object_or_404(Cycle, pk=pk)
        build = pack_services.pack_request(actor=request.user, cycle_id=cycle.pk)
        status = 200 if build.status == PackBuild.Status.DONE else 202
        return Response(PackSerializer(build).data, status=status)

    @extend_schema(responses=PackSerializer, summary="The cycle's newest executive pack")
    def get(self, request, pk: int):
        ensure_allowed(request.user, "cycle.view")
        build = selectors.latest_pack(get_object_or_404(Cycle, pk=pk))
        if build is None:
            raise NotFound("No pack has been built for this cycle yet: POST here to build it.")
        return Response(PackSerializer(build).data)


class PackBuildApi(APIView):
    @extend_schema(responses=PackSerializer, summary="One pack build: its progress and files")
    def get(self, request, build_id: int):
        ensure_allowed(request.user, "cycle.view")
        return Response(PackSerializer(get_object_or_404(PackBuild, pk=build_id)).data)
