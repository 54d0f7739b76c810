"""Clinic routes."""

from django.urls import path

from . import media, preview, views

app_name = "clinic"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("invitations/new/", views.new_invitation, name="new_invitation"),
    path("intakes/<uuid:intake_id>/", views.intake_page, name="intake"),
    path("intakes/<uuid:intake_id>/summary/", views.summary_page, name="summary"),
    path("intakes/<uuid:intake_id>/summary.pdf", views.summary_pdf_download, name="pdf"),
    path("intakes/<uuid:intake_id>/media/<uuid:media_id>/play", media.play, name="media-play"),
    path(
        "intakes/<uuid:intake_id>/media/<uuid:media_id>/download",
        media.download,
        name="media-download",
    ),
    path(
        "intakes/<uuid:intake_id>/media/<uuid:media_id>/poster.jpg",
        media.poster,
        name="media-poster",
    ),
    path("intakes/<uuid:intake_id>/cancel/", views.cancel, name="cancel"),
    path("intakes/<uuid:intake_id>/reissue/", views.reissue, name="reissue"),
    path("questionnaires/", preview.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/<slug:slug>/<int:version>/preview/<int:number>/",
        preview.preview_page,
        name="preview",
    ),
]
