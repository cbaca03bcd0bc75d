from django.urls import path

from forecasting import views

app_name = "forecasting"
urlpatterns = [path("actuals/", views.actuals_overview, name="actuals")]
