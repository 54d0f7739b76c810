"""API routes, version 1. Every view sends "Cache-Control: no-store" (see its base class)."""

from django.urls import path

from . import (  # noqa: F401  (schema: registers the security schemes)
    clinic,
    interop,
    media,
    patient,
    schema,
)

app_name = "api"

urlpatterns = [
    path("intakes/", clinic.IntakeListApi.as_view(), name="intakes"),
    path("intakes/<uuid:intake_id>/", clinic.IntakeDetailApi.as_view(), name="intake"),
    path("intakes/<uuid:intake_id>/cancel/", clinic.CancelApi.as_view(), name="cancel"),
    path("intakes/<uuid:intake_id>/reissue/", clinic.ReissueApi.as_view(), name="reissue"),
    path("intakes/<uuid:intake_id>/summary.pdf", clinic.SummaryPdfApi.as_view(), name="pdf"),
    path("intakes/<uuid:intake_id>/fhir/", interop.IntakeFhirApi.as_view(), name="intake-fhir"),
    path("intakes/<uuid:intake_id>/answers.csv", interop.IntakeCsvApi.as_view(), name="intake-csv"),
    path("intakes/<uuid:intake_id>/media/", media.IntakeMediaListApi.as_view(), name="media"),
    path(
        "intakes/<uuid:intake_id>/media/<uuid:media_id>/file",
        media.IntakeMediaFileApi.as_view(),
        name="media-file",
    ),
    path("exports/answers.csv", interop.ExportCsvApi.as_view(), name="export-csv"),
    path("questionnaires/", clinic.QuestionnaireListApi.as_view(), name="questionnaires"),
    path(
        "questionnaires/<slug:slug>/", clinic.QuestionnaireDetailApi.as_view(), name="questionnaire"
    ),
    path(
        "questionnaires/<slug:slug>/fhir/",
        interop.QuestionnaireFhirApi.as_view(),
        name="questionnaire-fhir",
    ),
    path("patient/intake/", patient.PatientIntakeApi.as_view(), name="patient-intake"),
    path(
        "patient/responses/<slug:slug>/", patient.SaveAnswersApi.as_view(), name="patient-answers"
    ),
    path("patient/submit/", patient.SubmitApi.as_view(), name="patient-submit"),
    path(
        "patient/media/<slug:slug>/<slug:item_id>/",
        media.PatientMediaUploadApi.as_view(),
        name="patient-media-upload",
    ),
    path("patient/media/<uuid:media_id>/", media.PatientMediaApi.as_view(), name="patient-media"),
]
