"""A patient who chose Spanish gets every error page in Spanish, and nothing of their answers."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.test import override_settings
from django.urls import include, path

from intake.urls import handler404, handler500  # noqa: F401 (the project's handlers, used here)

ANSWER = "Me duele la rodilla izquierda"


def _fail_with_an_answer(request):
    raise RuntimeError(f"could not save {ANSWER!r}")


def _refuse(request):
    raise PermissionDenied(ANSWER)


def _bad_request(request):
    raise SuspiciousOperation(ANSWER)


def _database_down(request):
    raise OperationalError(ANSWER)


# Under /patient/, where the patient's language applies, ahead of the project's own routes.
urlpatterns = [
    path("patient/boom/", _fail_with_an_answer),
    path("patient/refused/", _refuse),
    path("patient/bad/", _bad_request),
    path("patient/outage/", _database_down),
    path("clinic/boom/", _fail_with_an_answer),
    path("", include("intake.urls")),
]

# Each page's English, none of which a Spanish page may show.
ENGLISH = {
    404: ("Page not found", "Check the address"),
    500: ("Something went wrong", "Nothing you entered", "try again"),
    403: ("Not allowed", "You do not have access", "administrator"),
    400: ("Bad request", "could not be understood"),
    503: ("Briefly unavailable", "We could not do that", "Nothing you saved"),
}
SPANISH = {
    404: "Página no encontrada",
    500: "Algo salió mal",
    403: "No permitido",
    400: "Solicitud incorrecta",
    503: "No pudimos hacer eso en este momento",
}


@pytest.fixture
def spanish_patient(patient):
    """A patient's browser, English by default, whose patient chose Spanish with the link."""
    patient.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    assert patient.get("/patient/language/es/?next=/patient/").status_code == 302
    patient.raise_request_exception = False  # as a server does: the error page
    return patient


def assert_spanish_page(response, status: int, invitation) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert SPANISH[status] in page
    for english in ENGLISH[status]:
        assert english not in page, english
    for private in (ANSWER, "rodilla", invitation.intake.patient_name, "Robin", "T-1"):
        assert private not in page, private


@override_settings(DEBUG=False)
def test_a_missing_patient_page_is_in_spanish(spanish_patient, invitation):
    missing = spanish_patient.get("/patient/no-such-page/?dolor=rodilla")
    assert_spanish_page(missing, 404, invitation)
    assert "no-such-page" not in missing.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_on_a_patient_page_is_in_spanish(spanish_patient, invitation):
    assert_spanish_page(spanish_patient.post("/patient/boom/", {"dolor": ANSWER}), 500, invitation)


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_refusal_on_a_patient_page_is_in_spanish(spanish_patient, invitation):
    assert_spanish_page(spanish_patient.get("/patient/refused/"), 403, invitation)


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_bad_request_on_a_patient_page_is_in_spanish(spanish_patient, invitation):
    assert_spanish_page(spanish_patient.get("/patient/bad/"), 400, invitation)


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_outage_on_a_patient_page_is_in_spanish(spanish_patient, invitation):
    unavailable = spanish_patient.get("/patient/outage/")
    assert_spanish_page(unavailable, 503, invitation)
    assert unavailable["Retry-After"] == "5"


@override_settings(DEBUG=False)
def test_a_form_sent_without_its_csrf_token_is_refused_in_spanish(spanish_patient, invitation):
    spanish_patient.handler.enforce_csrf_checks = True
    refused = spanish_patient.post("/patient/step/1/", {"anything_else": ANSWER})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert '<html lang="es">' in page
    assert "La página caducó" in page
    for english in ("Forbidden", "CSRF", "Request aborted", "expired", "reload", "Not allowed"):
        assert english not in page, english
    for private in (ANSWER, "rodilla", "Robin"):
        assert private not in page, private


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_clinic_keeps_its_error_pages_in_english(client, clinician):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    client.raise_request_exception = False
    client.force_login(clinician)
    for url, status, english in (
        ("/clinic/no-such-page/", 404, "Page not found"),
        ("/clinic/boom/", 500, "Something went wrong"),
    ):
        page = client.get(url)
        assert page.status_code == status
        assert '<html lang="en">' in page.content.decode() and english in page.content.decode()
    client.handler.enforce_csrf_checks = True
    refused = client.post("/clinic/invitations/new/", {"patient_name": "Jamie"})
    assert refused.status_code == 403
    assert '<html lang="en">' in refused.content.decode()
    assert "The page expired" in refused.content.decode()
