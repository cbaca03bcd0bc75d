from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.permissions import planned_territory_ids, user_roles
from accounts.roles import actions_of


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(child=serializers.CharField())
    territory_ids = serializers.ListField(child=serializers.IntegerField())


class MeApi(APIView):
    """Who am I, which roles do I hold and what may I do."""

    serializer_class = MeSerializer

    def get(self, request):
        roles = user_roles(request.user)
        data = {
            "username": request.user.get_username(),
            "roles": sorted(roles),
            "actions": sorted({action for role in roles for action in actions_of(role)}),
            "territory_ids": sorted(planned_territory_ids(request.user)),
        }
        return Response(MeSerializer(data).data)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField()


class TokenCreateApi(APIView):
    """Sign in with a username and password; answers a new token that expires.

    Each call issues a new token (only its digest is stored). Wrong passwords count
    towards the same lockout as the login form.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=AuthTokenSerializer, responses=TokenSerializer)
    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request._request})
        credentials.is_valid(raise_exception=True)
        token, expiry = services.api_token_create(user=credentials.validated_data["user"])
        return Response(TokenSerializer({"token": token, "expiry": expiry}).data)


class TokenRevokeApi(APIView):
    """End the token this request is signed with."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.api_token_revoke(token=request.auth)
        return Response(status=204)


class TokenRevokeAllApi(APIView):
    """End every token of the signed-in user (e.g. a lost laptop)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.user_tokens_revoke(actor=request.user, user=request.user)
        return Response(status=204)
