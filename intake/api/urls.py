"""API routes, version 1."""

from django.urls import path
from django.views.decorators.cache import never_cache

from . import clinic, patient

app_name = "api"

# Answers, names and PDFs are health data: never_cache sends "Cache-Control: no-store".
urlpatterns = [
    path("intakes/", never_cache(clinic.IntakeListApi.as_view()), name="intakes"),
    path("intakes/<uuid:intake_id>/", never_cache(clinic.IntakeDetailApi.as_view()), name="intake"),
    path(
        "intakes/<uuid:intake_id>/cancel/", never_cache(clinic.CancelApi.as_view()), name="cancel"
    ),
    path(
        "intakes/<uuid:intake_id>/reissue/",
        never_cache(clinic.ReissueApi.as_view()),
        name="reissue",
    ),
    path(
        "intakes/<uuid:intake_id>/summary.pdf",
        never_cache(clinic.SummaryPdfApi.as_view()),
        name="pdf",
    ),
    path(
        "questionnaires/",
        never_cache(clinic.QuestionnaireListApi.as_view()),
        name="questionnaires",
    ),
    path(
        "questionnaires/<slug:slug>/",
        never_cache(clinic.QuestionnaireDetailApi.as_view()),
        name="questionnaire",
    ),
    path(
        "patient/intake/",
        never_cache(patient.PatientIntakeApi.as_view()),
        name="patient-intake",
    ),
    path(
        "patient/responses/<slug:slug>/",
        never_cache(patient.SaveAnswersApi.as_view()),
        name="patient-answers",
    ),
    path("patient/submit/", never_cache(patient.SubmitApi.as_view()), name="patient-submit"),
]
