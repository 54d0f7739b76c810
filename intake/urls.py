"""URL routes."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health
from .patient import entry as patient_entry

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="clinic:dashboard"), name="home"),
    path("i/<str:token>/", patient_entry.enter, name="enter"),
    path("patient/", include("intake.patient.urls")),
    path("clinic/", include("intake.clinic.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("intake.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema",
            template_name="api/swagger_ui.html",
            # A page, not an API operation: DRF's OPTIONS answer would need a template it has
            # not got (a 500); other methods get 405.
            http_method_names=["get", "head"],
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

handler404 = "intake.health.not_found"
handler500 = "intake.outages.server_error"

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare", health.bare, name="bench-bare"))
