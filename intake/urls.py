"""URL routes."""

from django.contrib import admin
from django.urls import include, path

from .patient import views as patient_views

urlpatterns = [
    path("i/<str:token>/", patient_views.enter, name="enter"),
    path("patient/", include("intake.patient.urls")),
    path("admin/", admin.site.urls),
]
