"""Patient routes. Only /i/<token>/ carries the token; every other URL holds nothing private."""

from django.urls import path

from . import leaving, views

app_name = "patient"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("", views.start, name="start"),
    path("step/<int:number>/", views.step, name="step"),
    path("step/<int:number>/autosave/", views.autosave, name="autosave"),
    path("review/", views.review, name="review"),
    path("submit/", views.submit, name="submit"),
    path("done/", views.done, name="done"),
    path("copy.pdf", leaving.copy_pdf, name="copy"),
    path("restart/<slug:slug>/", leaving.restart, name="restart"),
    path("finish/", leaving.finish, name="finish"),
    path("later/", leaving.later, name="later"),
]
