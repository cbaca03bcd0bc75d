from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.UserEditView.as_view(), name="user-new"),
    path("users/<int:pk>/", views.UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
]
