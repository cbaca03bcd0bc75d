from django.urls import path

from carryforward import api

urlpatterns = [
    path("<int:cycle_id>/", api.ProposalsApi.as_view()),
    path("<int:cycle_id>/confirm/", api.ConfirmApi.as_view()),
]
