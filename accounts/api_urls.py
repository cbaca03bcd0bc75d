from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from accounts.api import MeApi

urlpatterns = [
    path("me/", MeApi.as_view(), name="api-me"),
    path("token/", obtain_auth_token, name="api-token"),
]
