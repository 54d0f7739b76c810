"""Patient routes. Only /i/<token>/ carries the token; every other URL holds nothing private."""

from django.urls import path

from . import entry, language, leaving, views

app_name = "patient"

urlpatterns = [
    path("verify/", entry.verify, name="verify"),
    path("", views.start, name="start"),
    path("step/<int:number>/", views.step, name="step"),
    path("step/<int:number>/autosave/", views.autosave, name="autosave"),
    # The same page, posted as multipart with the photos and videos of a media item: only here
    # (and the per-file upload) may a request body be large (intake.middleware).
    path("step/<int:number>/files/", views.step, name="step-files"),
    path("step/<int:number>/media/<slug:item_id>/", views.media_upload, name="media-upload"),
    path("media/<uuid:media_id>/", views.media_status, name="media-status"),
    path("media/<uuid:media_id>/poster.jpg", views.media_poster, name="media-poster"),
    path("review/", views.review, name="review"),
    path("submit/", views.submit, name="submit"),
    path("done/", views.done, name="done"),
    path("copy.pdf", leaving.copy_pdf, name="copy"),
    path("restart/<slug:slug>/", leaving.restart, name="restart"),
    path("finish/", leaving.finish, name="finish"),
    path("later/", leaving.later, name="later"),
    path("language/<str:code>/", language.choose, name="language"),
]
