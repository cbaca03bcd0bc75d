"""The export API: follow a job and download its file (token or session authentication)."""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import kinds, selectors
from exports.models import ExportJob
from sop_planner.api import path_id


class ExportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id", "kind", "title", "file_name", "status", "rows_total", "rows_done",
            "percent", "size", "error", "created_at", "finished_at", "download",
        ]  # fmt: skip

    def get_download(self, job: ExportJob) -> str | None:
        """Where the file is, once it is ready."""
        if job.status != ExportJob.Status.READY:
            return None
        return reverse("export-file-api", args=[job.pk])


class ExportJobApi(APIView):
    serializer_class = ExportJobSerializer

    @extend_schema(responses=ExportJobSerializer, summary="An export job: status and progress")
    def get(self, request, pk: str):
        job = selectors.export_for(request.user, path_id(pk, "export"))
        return Response(ExportJobSerializer(job).data)


class ExportFileApi(APIView):
    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        summary="The built file, once the job is ready",
    )
    def get(self, request, pk: str):
        job = selectors.export_for(request.user, path_id(pk, "export"))
        path = selectors.export_file(job)
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=job.file_name,
            content_type=kinds.kind(job.kind).content_type,
        )
