"""The imports API: the same services as the upload pages."""

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sop_planner.api import valid
from sop_planner.errors import DomainError
from sop_planner.pagination import NewestFirstPagination
from uploads import access, selectors, services
from uploads.columns import KINDS
from uploads.models import UploadBatch, UploadRejection

CONVENTION_HELP = (
    "How the file writes numbers: decimal_point (1,234.5) or decimal_comma (1.234,5); "
    "empty: decimal comma in a ';'-separated file, decimal point otherwise."
)


class RejectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = UploadRejection
        fields = ["row_number", "column", "value", "reason"]


class BatchSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.StringRelatedField()
    committed_by = serializers.StringRelatedField(allow_null=True, help_text="None: not yet.")
    changes_nothing = serializers.BooleanField(read_only=True)

    class Meta:
        model = UploadBatch
        fields = [
            "id", "kind", "status", "status_label", "file_name", "checksum", "size",
            "background", "created_by", "created_at", "committed_by", "committed_at",
            "partial", "reverted_at", "revert_reason", "rows_read", "rows_validated", "rows_written",
            "new_count", "changed_count", "unchanged_count", "rejected_count",
            "changes_nothing", "periods", "territories", "error", "convention",
        ]  # fmt: skip


class BatchDetailSerializer(BatchSerializer):
    rejections = serializers.SerializerMethodField()
    number_convention = serializers.SerializerMethodField(
        help_text="How the figures were read, in words: 'with a decimal comma, dot for "
        "thousands (...)'; empty while a worker reads the file and once it was refused."
    )

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "number_convention", "rejections"]

    def get_number_convention(self, batch) -> str:
        return selectors.number_convention(batch)

    def get_rejections(self, batch) -> list[dict]:
        return RejectionSerializer(batch.rejections.all()[:1000], many=True).data


class UploadInput(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=list(KINDS), default="actuals")
    sheet = serializers.CharField(required=False, allow_blank=True, default="")
    mapping_name = serializers.CharField(required=False, allow_blank=True, default="")
    mapping = serializers.CharField(
        required=False, allow_blank=True, default="", help_text='JSON: {"file column": "field"}'
    )
    convention = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=CONVENTION_HELP
    )


class ConventionInput(serializers.Serializer):
    convention = serializers.CharField(allow_blank=True, help_text=CONVENTION_HELP)


class CommitInput(serializers.Serializer):
    accept_partial = serializers.BooleanField(default=False)


class RevertInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _visible(user):
    kinds = selectors.kinds_for(user)
    if not kinds:
        raise PermissionDenied("Your role does not allow uploads.")
    batches = UploadBatch.objects.filter(kind__in=kinds)
    return access.own_or_all(user, batches).select_related("created_by", "committed_by")


class ImportListCreateApi(ListAPIView):
    """History of uploads (GET), and a new upload (POST): answered at once with the batch
    queued for a worker, which reads and checks it; GET the batch to follow it to its
    preview (or its refusal, in `error`). The history is newest first, paged by key:
    follow `next` (`?after=` the last upload's key), `?limit=` up to 1,000 a page."""

    serializer_class = BatchSerializer
    pagination_class = NewestFirstPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UploadBatch.objects.none()
        return _visible(self.request.user)

    @extend_schema(
        request={"multipart/form-data": UploadInput}, responses={201: BatchDetailSerializer}
    )
    def post(self, request):
        data = valid(UploadInput, request.data)
        batch = services.upload_preview(
            actor=request.user,
            file=data["file"],
            file_name=data["file"].name,
            kind=data["kind"],
            sheet=data["sheet"],
            mapping=_mapping(data["mapping"]),
            mapping_name=data["mapping_name"],
            convention=data["convention"],
        )
        return Response(BatchDetailSerializer(batch).data, status=201)


def _mapping(text: str) -> dict:
    if not text:
        return {}
    try:
        mapping = json.loads(text)
    except ValueError as error:
        raise DomainError('mapping must be JSON like {"Sold qty": "units"}.') from error
    if not isinstance(mapping, dict):
        raise DomainError('mapping must be JSON like {"Sold qty": "units"}.')
    return {str(key): str(value) for key, value in mapping.items()}


class ImportDetailApi(RetrieveAPIView):
    """One upload with its progress, counts and rejected rows (the first 1,000)."""

    serializer_class = BatchDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UploadBatch.objects.none()
        return _visible(self.request.user)


class ImportCommitApi(APIView):
    """Queue a previewed upload for writing by a worker (accept_partial: its valid rows only,
    leaving the rest); GET the batch to follow it to committed (or back to previewed, the
    reason in `error`)."""

    @extend_schema(request=CommitInput, responses={200: BatchSerializer})
    def post(self, request, pk: int):
        _visible(request.user).filter(pk=pk).exists() or _missing(pk)
        data = valid(CommitInput, request.data)
        batch = services.upload_commit(actor=request.user, batch_id=pk, **data)
        return Response(BatchSerializer(batch).data)


class ImportRevertApi(APIView):
    """Queue a committed upload to be undone as a whole by a worker, while its periods are
    open; GET the batch to follow it to reverted (or back to committed, the reason in
    `error`)."""

    @extend_schema(request=RevertInput, responses={200: BatchSerializer})
    def post(self, request, pk: int):
        _visible(request.user).filter(pk=pk).exists() or _missing(pk)
        data = valid(RevertInput, request.data)
        batch = services.upload_revert(actor=request.user, batch_id=pk, **data)
        return Response(BatchSerializer(batch).data)


class ImportConventionApi(APIView):
    """Read a previewed upload again with the number convention the user chose."""

    @extend_schema(request=ConventionInput, responses={200: BatchDetailSerializer})
    def post(self, request, pk: int):
        _visible(request.user).filter(pk=pk).exists() or _missing(pk)
        data = valid(ConventionInput, request.data)
        batch = services.upload_reread(actor=request.user, batch_id=pk, **data)
        return Response(BatchDetailSerializer(batch).data)


def _missing(pk: int):
    from rest_framework.exceptions import NotFound

    raise NotFound(f"There is no upload #{pk}.")
