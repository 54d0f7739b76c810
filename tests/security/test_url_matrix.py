"""Every URL the resolver knows, for every role and method: who gets what, and who sees whose data.

The matrix is built from `get_resolver()` (as 18F/tock's test_url_auth.py does), so a new URL
without an entry in EXPECTED fails `test_the_matrix_covers_exactly_the_resolvers_urls`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from intake.demo import DEMO_ANSWERS
from intake.models import Response
from intake.patient import flow

from .conftest import B_ALLERGY, B_MEDICINE, B_OTHER_AREA, answers_of_b, patient_client, save_all

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "patient", "other_patient", "front_desk", "clinician")
ADMIN_PREFIX = "admin/"

# Outcomes: the status, and for a redirect the path it leads to (without the query string).
OK = "200"
SIGN_IN = "302 /accounts/login/"
NO_SESSION = "403"  # the patient pages' plain "open your link again" page
DENIED = "403"
NOT_ALLOWED = "405"
API_NO_TOKEN = "401"  # patient API: WWW-Authenticate: Intake-Token
API_NO_CREDENTIALS = "401"  # clinic API: WWW-Authenticate: Token
API_DENIED = "403"


def row(anonymous, patient, other_patient, front_desk, clinician) -> dict[str, str]:
    return dict(zip(ROLES, (anonymous, patient, other_patient, front_desk, clinician), strict=True))


def everyone(outcome: str) -> dict[str, str]:
    return row(*[outcome] * len(ROLES))


def staff_only(front_desk: str, clinician: str, *, others: str = SIGN_IN) -> dict[str, str]:
    return row(others, others, others, front_desk, clinician)


def patients_only(patient: str, *, others: str = NO_SESSION) -> dict[str, str]:
    """Patient pages are keyed by the session: each patient gets their own intake."""
    return row(others, patient, patient, others, others)


def api_staff(front_desk: str, clinician: str) -> dict[str, str]:
    """A patient's token or session is no credential for the clinic API."""
    return row(API_NO_CREDENTIALS, API_NO_CREDENTIALS, API_NO_CREDENTIALS, front_desk, clinician)


def api_patients(patient: str) -> dict[str, str]:
    return row(API_NO_TOKEN, patient, patient, API_NO_TOKEN, API_NO_TOKEN)


# Route name -> method -> role -> outcome. Intake A (the "patient") has every answer filled in;
# clinic URLs name intake A. "{intake}" stands for its id in redirect targets.
EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    "home": {"GET": everyone("302 /clinic/"), "POST": everyone("302 /clinic/")},
    # The token is the credential: whoever holds it goes on to the date-of-birth check.
    "enter": {"GET": everyone("302 /patient/verify/"), "POST": everyone("302 /patient/verify/")},
    "patient:verify": {
        "GET": patients_only("302 /patient/"),
        "POST": patients_only("302 /patient/"),
    },
    "patient:start": {"GET": patients_only(OK), "POST": patients_only(OK)},
    "patient:step": {
        "GET": patients_only(OK),
        "POST": patients_only("409"),  # no revision sent: a conflict, nothing stored
    },
    "patient:step-files": {"GET": patients_only(OK), "POST": patients_only("409")},
    "patient:autosave": {"GET": everyone(NOT_ALLOWED), "POST": patients_only("409")},
    "patient:review": {"GET": patients_only(OK), "POST": patients_only(OK)},
    "patient:submit": {
        "GET": everyone(NOT_ALLOWED),
        "POST": patients_only("302 /patient/done/"),
    },
    "patient:done": {"GET": everyone("302 /patient/"), "POST": everyone("302 /patient/")},
    # The patient's copy exists once sent, for the sending device (tests/patient/test_patient_copy)
    "patient:copy": {"GET": everyone("302 /patient/"), "POST": everyone(NOT_ALLOWED)},
    # Answering again elsewhere: a questionnaire this device already holds just opens its pages.
    "patient:restart": {
        "GET": everyone(NOT_ALLOWED),
        "POST": patients_only("302 /patient/step/14/"),  # medicines begin on page 14
    },
    "patient:finish": {
        "GET": everyone(NOT_ALLOWED),
        "POST": patients_only("302 /patient/later/"),
    },
    "patient:later": {"GET": everyone(OK), "POST": everyone(OK)},
    # Photos and videos: page 1 has no media item; no file has the id the matrix names.
    "patient:media-upload": {"GET": everyone(NOT_ALLOWED), "POST": patients_only("404")},
    "patient:media-status": {"GET": patients_only("404"), "POST": patients_only(NOT_ALLOWED)},
    "patient:media-poster": {"GET": patients_only("404"), "POST": patients_only(NOT_ALLOWED)},
    # English / Español: a plain link that only switches the pages' language, then goes back.
    "patient:language": {"GET": everyone("302 /patient/"), "POST": everyone(NOT_ALLOWED)},
    "clinic:dashboard": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "clinic:new_invitation": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "clinic:intake": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "clinic:summary": {"GET": staff_only(DENIED, OK), "POST": staff_only(DENIED, OK)},
    "clinic:pdf": {"GET": staff_only(DENIED, OK), "POST": staff_only(DENIED, OK)},
    # Front desk never sees media (tests/media/test_clinic_media.py plays a real one).
    "clinic:media-play": {"GET": staff_only(DENIED, "404"), "POST": everyone(NOT_ALLOWED)},
    "clinic:media-download": {"GET": staff_only(DENIED, "404"), "POST": everyone(NOT_ALLOWED)},
    "clinic:media-poster": {"GET": staff_only(DENIED, "404"), "POST": everyone(NOT_ALLOWED)},
    # Staff preview of a questionnaire version: a post is checked and shown back, never stored.
    "clinic:questionnaires": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "clinic:preview": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "clinic:cancel": {
        "GET": everyone(NOT_ALLOWED),
        "POST": staff_only("302 /clinic/intakes/{intake}/", "302 /clinic/intakes/{intake}/"),
    },
    "clinic:reissue": {"GET": everyone(NOT_ALLOWED), "POST": staff_only(OK, OK)},
    "login": {"GET": everyone(OK), "POST": everyone(OK)},
    "logout": {"GET": everyone(NOT_ALLOWED), "POST": everyone(SIGN_IN)},
    "password_change": {"GET": staff_only(OK, OK), "POST": staff_only(OK, OK)},
    "password_change_done": {
        "GET": staff_only(OK, OK),
        "POST": staff_only(NOT_ALLOWED, NOT_ALLOWED),
    },
    "password_reset": {"GET": everyone(OK), "POST": everyone(OK)},
    "password_reset_done": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "password_reset_confirm": {"GET": everyone(OK), "POST": everyone(OK)},  # "link invalid"
    "password_reset_complete": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "api:intakes": {"GET": api_staff(OK, OK), "POST": api_staff("400", "400")},
    "api:intake": {"GET": api_staff(API_DENIED, OK), "POST": api_staff(API_DENIED, NOT_ALLOWED)},
    "api:cancel": {"GET": api_staff(NOT_ALLOWED, NOT_ALLOWED), "POST": api_staff(OK, OK)},
    "api:reissue": {"GET": api_staff(NOT_ALLOWED, NOT_ALLOWED), "POST": api_staff(OK, OK)},
    "api:pdf": {"GET": api_staff(API_DENIED, OK), "POST": api_staff(API_DENIED, NOT_ALLOWED)},
    "api:intake-fhir": {
        "GET": api_staff(API_DENIED, OK),
        "POST": api_staff(API_DENIED, NOT_ALLOWED),
    },
    "api:intake-csv": {
        "GET": api_staff(API_DENIED, OK),
        "POST": api_staff(API_DENIED, NOT_ALLOWED),
    },
    "api:export-csv": {
        "GET": api_staff(API_DENIED, OK),
        "POST": api_staff(API_DENIED, NOT_ALLOWED),
    },
    # A definition holds no patient data: any staff member may read it, as api:questionnaire.
    "api:questionnaire-fhir": {
        "GET": api_staff(OK, OK),
        "POST": api_staff(NOT_ALLOWED, NOT_ALLOWED),
    },
    "api:questionnaires": {
        "GET": api_staff(OK, OK),
        "POST": api_staff(NOT_ALLOWED, NOT_ALLOWED),
    },
    "api:questionnaire": {
        "GET": api_staff(OK, OK),
        "POST": api_staff(NOT_ALLOWED, NOT_ALLOWED),
    },
    "api:patient-intake": {"GET": api_patients(OK), "POST": api_patients(NOT_ALLOWED)},
    "api:patient-answers": {
        "GET": api_patients(NOT_ALLOWED),
        "POST": api_patients(NOT_ALLOWED),
        "PUT": api_patients("409"),  # revision 0 is stale: the answers were saved already
    },
    "api:patient-submit": {"GET": api_patients(NOT_ALLOWED), "POST": api_patients(OK)},
    # A JSON body is not multipart (415); no file has the id the matrix names (404).
    "api:patient-media-upload": {
        "GET": api_patients(NOT_ALLOWED),
        "POST": api_patients("415"),
    },
    "api:patient-media": {"GET": api_patients("404"), "POST": api_patients(NOT_ALLOWED)},
    "api:media": {"GET": api_staff(API_DENIED, OK), "POST": api_staff(API_DENIED, NOT_ALLOWED)},
    "api:media-file": {
        "GET": api_staff(API_DENIED, "404"),
        "POST": api_staff(API_DENIED, NOT_ALLOWED),
    },
    # The API's description is public: it holds no data, and other systems build clients from it.
    "api-schema": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "api-docs": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    "healthz": {"GET": everyone(OK), "POST": everyone(OK)},
    "readyz": {"GET": everyone(OK), "POST": everyone(OK)},
}

# What anyone may open without signing in or holding a link (a 200 for an anonymous GET).
PUBLIC = {
    "patient:later",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "api-schema",
    "api-docs",
    "healthz",
    "readyz",
}

# Who may see intake A's answers and name, and intake B's, anywhere.
A_ANSWER, A_NAME = "Gabapentin", "Robin Testperson"
B_NAME = "Kim Otherperson"
A_FREE_TEXT = ["Gabapentin", "Atorvastatin", "Behind the left knee", "Penicillin", "Hives"]
SEES_A_ANSWERS = {"patient", "clinician"}
SEES_A_NAME = {"front_desk", "clinician"}
SEES_B_ANSWERS = {"other_patient"}
SEES_B_NAME = {"front_desk", "clinician"}


def resolver_routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """Yield (name, pattern) for every route (the pattern if unnamed); admin only as its prefix."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield prefix + str(pattern.pattern), prefix + str(pattern.pattern)
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from resolver_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            full = prefix + str(pattern.pattern)
            yield (namespace + pattern.name if pattern.name else full), full


ROUTES = dict(resolver_routes())  # name -> pattern, to fill each route's parameters
API_BODY = '{"revision": 0, "answers": {}}'


class World:
    """Two intakes with different answers, a client per role, and the URLs filled in."""

    def __init__(self, invitation, other_invitation, clinician, front_desk):
        self.invitation, self.other_invitation = invitation, other_invitation
        self.clients = {
            "anonymous": Client(),
            "patient": patient_client(invitation),
            "other_patient": patient_client(other_invitation),
            "front_desk": Client(),
            "clinician": Client(),
        }
        self.clients["front_desk"].force_login(front_desk)
        self.clients["clinician"].force_login(clinician)

    def url(self, route: str) -> str:
        """Reverse a route, its parameters filled from the fixtures (intake A's)."""
        values = {
            "token": self.invitation.token,
            "intake_id": str(self.invitation.intake.pk),
            "slug": "medications",
            "number": 1,
            "code": "es",
            "version": 1,
            "media_id": "00000000-0000-4000-8000-000000000001",
            "item_id": "twitch_video",
        }
        if route == "password_reset_confirm":
            values.update(uidb64="MQ", token="not-a-reset-token")
        names = re.findall(r"<(?:\w+:)?(\w+)>", ROUTES[route])
        return reverse(route, kwargs={name: values[name] for name in names})

    def request(self, role: str, method: str, route: str):
        """Send one request as `role`, then undo whatever it changed, cookies included."""
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        path = self.url(route)
        with transaction.atomic():
            if path.startswith("/api/"):
                response = client.generic(method, path, API_BODY, content_type="application/json")
            else:
                form = "application/x-www-form-urlencoded"
                response = client.generic(method, path, "", content_type=form)
            transaction.set_rollback(True)
        client.cookies = cookies
        return response

    def outcome(self, response) -> str:
        location = response.get("Location", "").split("?")[0]
        location = location.replace(str(self.invitation.intake.pk), "{intake}")
        return f"{response.status_code} {location}".strip()


@pytest.fixture
def world(invitation, other_invitation, clinician, front_desk, monkeypatch):
    # Who may download is the question here, not the PDF: skip WeasyPrint's second per render.
    monkeypatch.setattr(
        "intake.summary.service.render_pdf", lambda html, **options: b"%PDF-1.7 stand-in"
    )
    save_all(invitation, DEMO_ANSWERS)
    save_all(other_invitation, answers_of_b())
    return World(invitation, other_invitation, clinician, front_desk)


def test_the_matrix_covers_exactly_the_resolvers_urls():
    routes = [name for name, _ in resolver_routes()]
    assert len(routes) == len(set(routes)), "two routes share a name"
    assert set(routes) == set(EXPECTED) | {ADMIN_PREFIX}


def test_the_public_allow_list_is_exactly_what_anonymous_visitors_can_open():
    opened = {route for route, methods in EXPECTED.items() if methods["GET"]["anonymous"] == OK}
    assert opened == PUBLIC


@pytest.mark.parametrize("role", ROLES)
def test_every_url_and_method_gives_each_role_the_expected_outcome_and_no_one_elses_data(
    world, role
):
    wrong = []
    for route, methods in EXPECTED.items():
        # GET and POST are sent to every route, listed or not: a view that forgets to refuse
        # one of them shows up as an outcome nobody expected.
        for method in sorted({"GET", "POST"} | set(methods)):
            response = world.request(role, method, route)
            got = world.outcome(response)
            expected = methods.get(method, {}).get(role, "(not in the matrix)")
            if got != expected:
                wrong.append(f"{method} {route}: expected {expected!r}, got {got!r}")
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            body = content.decode("utf-8", "replace")
            for text, allowed in (
                (A_ANSWER, SEES_A_ANSWERS),
                (A_NAME, SEES_A_NAME),
                (B_MEDICINE, SEES_B_ANSWERS),
                (B_NAME, SEES_B_NAME),
            ):
                if role not in allowed and text in body:
                    wrong.append(f"{method} {route}: {role} was shown {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_sends_anyone_without_staff_status_to_the_admin_sign_in(world, role):
    client = world.clients[role]
    for path in (
        "/admin/",
        "/admin/intake/response/",
        f"/admin/intake/intake/{world.invitation.intake.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 302, (role, path)
        assert response["Location"].startswith("/admin/login/?next="), (role, path)


def test_another_intakes_patient_sees_only_their_own_intake_on_every_page_and_the_api(world):
    other = world.clients["other_patient"]
    pages = ["/patient/", "/patient/review/"]
    steps = flow.steps_of(flow.responses_of(world.other_invitation.intake), "")
    pages += [f"/patient/step/{step.number}/" for step in steps]
    seen = ""
    for page in pages:
        response = other.get(page)
        assert response.status_code == 200, page
        seen += response.content.decode()
    api = other.get("/api/v1/patient/intake/")
    assert api.status_code == 200
    seen += api.content.decode()
    for text in (B_MEDICINE, B_OTHER_AREA, B_ALLERGY):
        assert text in seen
    for text in [*A_FREE_TEXT, A_NAME, str(world.invitation.intake.pk), world.invitation.token]:
        assert text not in seen, text


def test_another_intakes_patient_saving_through_the_api_changes_only_their_own_answers(world):
    mine = Response.objects.get(
        intake=world.invitation.intake, questionnaire_version__slug="medications"
    )
    theirs = Response.objects.get(
        intake=world.other_invitation.intake, questionnaire_version__slug="medications"
    )
    saved = world.clients["other_patient"].put(
        "/api/v1/patient/responses/medications/",
        {"revision": theirs.revision, "answers": {"takes_medicines": "no"}},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    mine_after = Response.objects.get(pk=mine.pk)
    assert (mine_after.answers, mine_after.revision) == (mine.answers, mine.revision)
    assert Response.objects.get(pk=theirs.pk).answers == {"takes_medicines": "no"}
