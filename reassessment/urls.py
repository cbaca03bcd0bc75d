from django.urls import path

from quotas.views import attainment_view
from reassessment import views

app_name = "reassessment"
urlpatterns = [
    path("", views.accuracy, name="accuracy"),
    path("fva/", views.fva, name="fva"),
    path("decisions/", views.decisions, name="decisions"),
    path("attainment/", attainment_view, name="attainment"),
    path("recompute/", views.recompute, name="recompute"),
]
