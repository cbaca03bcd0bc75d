from django.contrib import admin
from django.urls import include, path

from home.views import home
from sop_planner.api_router import router
from sop_planner.views import api_docs, api_schema, favicon

admin.site.site_header = "S&OP Planner administration"

handler400 = "sop_planner.views.bad_request"
handler403 = "sop_planner.views.permission_denied"
handler404 = "sop_planner.views.page_not_found"
handler500 = "sop_planner.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon),
    path("accounts/", include("accounts.urls")),
    path("territories/", include("territories.urls")),
    path("products/", include("products.urls")),
    path("cycles/", include("cycles.urls")),
    path("forecasting/", include("forecasting.urls")),
    path("uploads/", include("uploads.urls")),
    path("collaboration/", include("collaboration.urls")),
    path("supply/", include("supply.urls")),
    path("reconciliation/", include("reconciliation.urls")),
    path("quotas/", include("quotas.urls")),
    path("api/quotas/", include("quotas.api_urls")),
    path("carried-forward/", include("carryforward.urls")),
    path("reassessment/", include("reassessment.urls")),
    path("admin/", admin.site.urls),
    path("api/imports/", include("uploads.api_urls")),
    path("api/plan/", include("reconciliation.api_urls")),
    path("demand/", include("demand.urls")),
    path("api/demand/", include("demand.api_urls")),
    path("kpis/", include("kpis.urls")),
    path("api/kpis/", include("kpis.api_urls")),
    path("api/carried-forward/", include("carryforward.api_urls")),
    path("exports/", include("exports.urls")),
    path("crm/", include("crm.urls")),
    path("api/crm/", include("crm.api_urls")),
    path("api/exports/", include("exports.api_urls")),
    path("api/", include(router.urls)),
    path("api/", include("accounts.api_urls")),
    path("api/schema/", api_schema, name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
]
