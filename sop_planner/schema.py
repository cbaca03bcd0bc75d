"""The OpenAPI schema: every operation documents the errors it can answer, once.

drf-spectacular documents only the success answer of each view; the refusals come
from shared places (authentication, permissions, `sop_planner.errors`, DRF's parsing
and validation), so they are added here for every operation rather than repeated in
each `@extend_schema`.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorSerializer(serializers.Serializer):
    """A refusal in the user's words (`sop_planner.errors.api_exception_handler`)."""

    detail = serializers.CharField()
    items = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="What is still open, if any."
    )


INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The request is not valid: each field names its messages "
    "(or `detail`, and `items`, for a request the rules refuse).",
)
ERRORS = {
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in, or the token expired."),
    "403": OpenApiResponse(
        ErrorSerializer, description="The role, stage or territory does not allow this."
    ),
    "404": OpenApiResponse(ErrorSerializer, description="There is no such row."),
    "409": OpenApiResponse(
        ErrorSerializer, description="Someone else changed the data first; nothing was written."
    ),
    "429": OpenApiResponse(ErrorSerializer, description="Too many attempts; try again later."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error answers the operation can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            response = INVALID if code == "400" else ERRORS[code]
            responses.setdefault(code, self._get_response_for_code(response, code))
        return responses

    def _error_codes(self) -> list[str]:
        takes_input = self.method in UNSAFE_METHODS or bool(self._get_parameters())
        codes = {
            "400": takes_input,
            "401": self._needs_sign_in(),
            "403": self._needs_sign_in(),
            "404": "{" in self.path,
            "409": self.method in UNSAFE_METHODS,
            "429": bool(getattr(self.view, "throttle_classes", None)),
        }
        return [code for code, applies in codes.items() if applies]

    def _needs_sign_in(self) -> bool:
        permissions = self.view.get_permissions()
        return not all(isinstance(permission, AllowAny) for permission in permissions)
