from django.urls import path

from accounts.api import MeApi, TokenCreateApi, TokenRevokeAllApi, TokenRevokeApi

urlpatterns = [
    path("me/", MeApi.as_view(), name="api-me"),
    path("token/", TokenCreateApi.as_view(), name="api-token"),
    path("token/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("token/revoke-all/", TokenRevokeAllApi.as_view(), name="api-token-revoke-all"),
]
