from django.urls import path

from carryforward import views

app_name = "carryforward"
urlpatterns = [
    path("", views.carry_page, name="index"),
    path("<int:pk>/", views.carry_page, name="cycle"),
    path("<int:pk>/confirm/<str:kind>/", views.kind_confirm_view, name="confirm-kind"),
    path("proposal/<int:proposal_id>/confirm/", views.proposal_confirm_view, name="confirm"),
]
