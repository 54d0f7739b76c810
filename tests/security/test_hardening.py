"""Hardening: guessed and stale links, logs, body size, headers, frozen answers, sessions,
sign-in lockout, production settings, error pages and retention."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import secrets
import subprocess
import sys
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.logging import RedactTokens
from intake.models import AuditEvent, ImmutableRecord, Intake, Response
from intake.patient import flow
from intake.ratelimit import UNKNOWN_LINKS_PER_IP
from intake.summary.service import summary_pdf

from ..api.test_end_to_end import _fill_by_web_pages
from ..conftest import ROOT
from ..patient.conftest import open_link
from .conftest import patient_client, save_all

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the role fixtures' password
LOGIN = "/accounts/login/"


def guessed_token() -> str:
    return secrets.token_urlsafe(32)


def tampered(token: str) -> str:
    """Return the token with one character changed."""
    return token[:10] + ("A" if token[10] != "A" else "B") + token[11:]


def api_patient(token: str, born: str = "1975-06-30", **defaults) -> Client:
    headers = {"X-Intake-Token": token, "X-Intake-Birth-Date": born, "X-Intake-Device": "d" * 40}
    return Client(headers=headers, **defaults)


def free_text(answers) -> set[str]:
    """Return what the patient typed (not option codes) anywhere in `answers`."""
    if isinstance(answers, dict):
        return set().union(*(free_text(value) for value in answers.values()))
    if isinstance(answers, list):
        return set().union(set(), *(free_text(value) for value in answers))
    if isinstance(answers, str) and (answers != answers.lower() or " " in answers):
        return {answers}
    return set()


DEMO_FREE_TEXT = free_text(DEMO_ANSWERS)


def assert_shows_nothing_of(invitation: services.Invitation, body: bytes) -> None:
    text = body.decode("utf-8", "replace")
    intake = invitation.intake
    for secret in (
        intake.patient_name,
        intake.clinic_reference,
        intake.date_of_birth.isoformat(),
        str(intake.pk),
        invitation.token,
        *DEMO_FREE_TEXT,
    ):
        assert secret not in text, secret


@pytest.fixture
def answered(invitation):
    """Intake A (Robin Testperson, T-100), every demo answer saved, not submitted."""
    save_all(invitation, DEMO_ANSWERS)
    return invitation


# --- guessed, tampered and expired links -------------------------------------------------------


def test_guessed_links_get_404_and_after_20_from_one_address_even_a_real_link_gets_429(
    client, invitation
):
    for _ in range(UNKNOWN_LINKS_PER_IP):
        refused = client.get(f"/i/{guessed_token()}/")
        assert refused.status_code == 404
        assert b"This link does not work" in refused.content
    blocked = client.get(f"/i/{invitation.token}/")
    assert blocked.status_code == 429
    assert b"Too many tries" in blocked.content
    assert flow.SESSION_INTAKE not in client.session
    assert_shows_nothing_of(invitation, blocked.content)
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    assert elsewhere.get(f"/i/{invitation.token}/")["Location"] == "/patient/verify/"


def test_guessed_api_tokens_are_refused_and_after_20_even_a_real_token_gets_429(invitation):
    for _ in range(UNKNOWN_LINKS_PER_IP):
        refused = api_patient(guessed_token()).get("/api/v1/patient/intake/")
        assert refused.status_code == 401
        assert refused.json() == {
            "code": "authentication_failed",
            "detail": "This invitation token is not valid.",
        }
    blocked = api_patient(invitation.token).get("/api/v1/patient/intake/")
    assert blocked.status_code == 429
    assert_shows_nothing_of(invitation, blocked.content)
    other_address = api_patient(invitation.token, REMOTE_ADDR="203.0.113.7")
    assert other_address.get("/api/v1/patient/intake/").status_code == 200


def test_guesses_on_the_web_and_the_api_count_together(client, invitation):
    for number in range(UNKNOWN_LINKS_PER_IP):
        if number % 2:
            assert client.get(f"/i/{guessed_token()}/").status_code == 404
        else:
            guess = api_patient(guessed_token()).get("/api/v1/patient/intake/")
            assert guess.status_code == 401
    assert client.get(f"/i/{invitation.token}/").status_code == 429
    assert api_patient(invitation.token).get("/api/v1/patient/intake/").status_code == 429


def test_a_tampered_link_gets_nothing_on_the_web_or_the_api(client, answered):
    token = tampered(answered.token)
    page = client.get(f"/i/{token}/")
    assert page.status_code == 404
    assert_shows_nothing_of(answered, page.content)
    assert client.get("/patient/review/").status_code == 403  # no session was opened
    api = api_patient(token)
    for response in (
        api.get("/api/v1/patient/intake/"),
        api.put(
            "/api/v1/patient/responses/medications/",
            {"revision": 4, "answers": {"takes_medicines": "no"}},
            content_type="application/json",
        ),
        api.post("/api/v1/patient/submit/"),
    ):
        assert response.status_code == 401
        assert_shows_nothing_of(answered, response.content)
    medications = answered.intake.responses.get(questionnaire_version__slug="medications")
    assert medications.answers == DEMO_ANSWERS["medications"]
    assert Intake.objects.get(pk=answered.intake.pk).status == "in_progress"


def test_an_expired_link_gets_nothing_on_the_web_or_the_api(answered):
    opened_before = patient_client(answered)
    expired = timezone.now() - timedelta(minutes=1)
    Intake.objects.filter(pk=answered.intake.pk).update(expires_at=expired)
    page = opened_before.get("/patient/review/")
    assert page.status_code == 410
    assert b"This link has expired" in page.content
    assert_shows_nothing_of(answered, page.content)
    assert opened_before.get("/patient/step/1/").status_code == 403  # the session was closed
    link = Client().get(f"/i/{answered.token}/")
    assert link.status_code == 410
    assert_shows_nothing_of(answered, link.content)
    api = api_patient(answered.token)
    for response in (
        api.get("/api/v1/patient/intake/"),
        api.put(
            "/api/v1/patient/responses/medications/",
            {"revision": 1, "answers": {"takes_medicines": "no"}},
            content_type="application/json",
        ),
        api.post("/api/v1/patient/submit/"),
    ):
        assert response.status_code == 410
        assert response.json() == {"code": "intake_closed", "detail": "This intake is expired."}
    intake = Intake.objects.get(pk=answered.intake.pk)
    assert intake.status == "in_progress"
    medications = intake.responses.get(questionnaire_version__slug="medications")
    assert medications.answers == DEMO_ANSWERS["medications"]


# --- logs -------------------------------------------------------------------------------------


@pytest.fixture
def project_log():
    """Point the handlers settings.LOGGING installs at a buffer for the test's duration."""
    stream = io.StringIO()
    handlers = {
        handler
        for name in ("", "django", "django.server")
        for handler in logging.getLogger(name).handlers
        if any(isinstance(f, RedactTokens) for f in handler.filters)
    }
    assert handlers, "settings.LOGGING's console handler is not installed"
    previous = {handler: handler.setStream(stream) for handler in handlers}
    yield stream
    for handler, old in previous.items():
        handler.setStream(old)


def test_the_logs_of_a_whole_intake_hold_no_answer_no_name_and_no_token(
    client, questionnaires, project_log
):
    invitation = services.create_invitation(
        patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27)
    )
    token = invitation.token
    assert client.get(f"/i/{tampered(token)}/").status_code == 404
    assert open_link(client, invitation, birth_date=("1", "1", "1966")).status_code == 400
    assert open_link(client, invitation, birth_date=("27", "2", "1966")).status_code == 302
    bad_number = client.post(
        "/patient/step/2/", {"revision": 0, "action": "next", "how_often": "daily", "bother": "x"}
    )
    assert bad_number.status_code == 400
    stale = client.post("/patient/step/1/autosave/", {"revision": 99, "areas.other": "Knee"})
    assert stale.status_code == 409
    _fill_by_web_pages(client, invitation)
    assert client.get("/patient/review/").status_code == 200
    assert client.post("/patient/submit/")["Location"] == "/patient/done/"
    api = api_patient(token, born="1966-02-27")
    refused = api.put(
        "/api/v1/patient/responses/medications/",
        {"revision": 1, "answers": DEMO_ANSWERS["medications"]},
        content_type="application/json",
    )
    assert refused.status_code == 410
    assert api_patient(token, born="1966-01-01").get("/api/v1/patient/intake/").status_code == 401
    assert api_patient(tampered(token)).get("/api/v1/patient/intake/").status_code == 401

    logged = project_log.getvalue()
    assert "Not Found: /i/[redacted]/" in logged  # the log was captured, the token redacted
    assert "Bad Request: /patient/step/2/" in logged
    for secret in (token, tampered(token), "Casey Placeholder", *DEMO_FREE_TEXT):
        assert secret not in logged, secret


# --- request size -----------------------------------------------------------------------------


def test_oversized_bodies_get_413_on_a_patient_page_the_api_and_the_login_form(
    settings, invitation, clinician
):
    settings.MAX_REQUEST_BYTES = 2_000
    big = "x" * 3_000
    patient = patient_client(invitation)
    page = patient.post("/patient/step/1/", {"revision": 0, "areas.other": big})
    assert page.status_code == 413
    assert b"too much to send at once" in page.content
    api = patient.put(
        "/api/v1/patient/responses/medications/",
        {"revision": 0, "answers": {"takes_medicines": "yes", "filler": big}},
        content_type="application/json",
    )
    assert api.status_code == 413
    assert api.json() == {
        "code": "too_large",
        "detail": "The request is too large (over 2,000 bytes).",
    }
    login = Client().post(LOGIN, {"username": "clinician", "password": big})
    assert login.status_code == 413
    assert {r.revision for r in Response.objects.filter(intake=invitation.intake)} == {0}
    assert not AuditEvent.objects.filter(action="sign_in_failed").exists()
    assert not AccessAttempt.objects.exists()


# --- headers and rendered HTML ----------------------------------------------------------------


class InlineCode(HTMLParser):
    """Collect what a strict CSP would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self.in_script = True
            if not attributes.get("src"):
                self.problems.append("<script> without src")
        for name, value in attributes.items():
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append("inline script content")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.problems


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def page_types(answered, other_invitation, clinician, front_desk, settings):
    """One response of every kind of page a person can see, keyed by a label."""
    pages = {}
    unverified = Client()
    unverified.get(f"/i/{answered.token}/")
    pages["patient verify"] = unverified.get("/patient/verify/")
    pages["patient verify, wrong date"] = open_link(
        Client(), answered, birth_date=("1", "1", "1975")
    )
    patient = patient_client(answered)
    pages["patient start"] = patient.get("/patient/")
    steps = flow.steps_of(flow.responses_of(answered.intake), "")
    for step in steps:
        pages[f"patient step {step.number}"] = patient.get(f"/patient/step/{step.number}/")
    pages["patient step with errors"] = patient.post(
        "/patient/step/2/",
        {"revision": steps[1].response.revision, "bother": "many"},
    )
    pages["patient review"] = patient.get("/patient/review/")
    pages["patient closed link"] = Client().get(f"/i/{guessed_token()}/")
    finished = patient_client(other_invitation)
    save_all(other_invitation, DEMO_ANSWERS)
    finished.post("/patient/submit/")
    pages["patient done"] = finished.get("/patient/done/")

    anonymous = Client()
    pages["sign in"] = anonymous.get(LOGIN)
    pages["sign in, wrong password"] = anonymous.post(
        LOGIN, {"username": "nobody", "password": "wrong-password"}
    )
    pages["password reset"] = anonymous.get("/accounts/password_reset/")
    pages["api docs"] = anonymous.get("/api/docs/")
    staff = Client()
    staff.force_login(clinician)
    intake_url = f"/clinic/intakes/{answered.intake.pk}/"
    pages["clinic dashboard"] = staff.get("/clinic/")
    pages["clinic new invitation"] = staff.get("/clinic/invitations/new/")
    pages["clinic new invitation, errors"] = staff.post(
        "/clinic/invitations/new/", {"patient_name": "", "expires_in_days": "0"}
    )
    pages["clinic invitation link"] = staff.post(
        "/clinic/invitations/new/",
        {
            "patient_name": "New Person",
            "date_of_birth": "1980-01-01",
            "questionnaires": ["medications"],
            "expires_in_days": "14",
        },
    )
    pages["clinic intake"] = staff.get(intake_url)
    pages["clinic summary"] = staff.get(f"{intake_url}summary/")
    pages["clinic refused"] = staff.post(f"/clinic/intakes/{other_invitation.intake.pk}/cancel/")
    desk = Client()
    desk.force_login(front_desk)
    pages["403"] = desk.get(f"{intake_url}summary/")
    pages["404"] = staff.get(f"/clinic/intakes/{answered.intake.pk.hex[::-1]}/")
    settings.MAX_REQUEST_BYTES = 100
    pages["413"] = anonymous.post(LOGIN, {"username": "x" * 200})
    return pages


def test_every_page_type_was_rendered(page_types):
    statuses = {label: response.status_code for label, response in page_types.items()}
    assert statuses["patient review"] == statuses["clinic invitation link"] == 200
    assert statuses["patient done"] == 200
    assert statuses["clinic refused"] == 409
    assert statuses["clinic new invitation, errors"] == 400
    assert statuses["403"] == 403 and statuses["404"] == 404 and statuses["413"] == 413
    link_page = page_types["clinic invitation link"].content
    assert b"Copy link" in link_page and b"<svg" in link_page


def test_every_page_type_has_a_strict_content_security_policy(page_types):
    for label, response in page_types.items():
        assert "Content-Security-Policy" in response, label
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], label
        assert policy["script-src"] == ["'self'"], label
        assert policy["object-src"] == ["'none'"], label
        assert policy["frame-ancestors"] == ["'none'"], label
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, label


def test_no_page_of_ours_has_inline_script_or_style(page_types):
    for label, response in page_types.items():
        if label == "api docs":
            continue  # drf-spectacular's template: see the next test
        assert inline_code(response.content.decode()) == [], label


def test_the_api_docs_page_has_no_inline_script(page_types):
    problems = inline_code(page_types["api docs"].content.decode())
    assert "inline script content" not in problems
    assert "<script> without src" not in problems


def test_the_api_docs_page_has_no_inline_style(page_types):
    assert inline_code(page_types["api docs"].content.decode()) == []


def test_every_page_type_refuses_framing_sniffing_and_cross_site_referrers(page_types):
    for label, response in page_types.items():
        assert response["X-Frame-Options"] == "DENY", label
        assert response["X-Content-Type-Options"] == "nosniff", label
        assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), label


def test_every_response_with_health_data_says_no_store(answered, clinician, monkeypatch):
    monkeypatch.setattr(
        "intake.summary.service.render_pdf", lambda html, **options: b"%PDF-1.7 stand-in"
    )
    patient = patient_client(answered)
    staff = Client()
    staff.force_login(clinician)
    intake_id = answered.intake.pk
    responses = {
        "patient step": patient.get("/patient/step/1/"),
        "patient review": patient.get("/patient/review/"),
        "patient autosave": patient.post("/patient/step/1/autosave/", {"revision": 0}),
        "patient api": patient.get("/api/v1/patient/intake/"),
        "patient api save": patient.put(
            "/api/v1/patient/responses/surgeries/",
            {"revision": 1, "answers": DEMO_ANSWERS["surgeries"]},
            content_type="application/json",
        ),
        "clinic intake": staff.get(f"/clinic/intakes/{intake_id}/"),
        "clinic summary": staff.get(f"/clinic/intakes/{intake_id}/summary/"),
        "clinic pdf": staff.get(f"/clinic/intakes/{intake_id}/summary.pdf"),
        "api list": staff.get("/api/v1/intakes/"),
        "api detail": staff.get(f"/api/v1/intakes/{intake_id}/"),
        "api pdf": staff.get(f"/api/v1/intakes/{intake_id}/summary.pdf"),
    }
    for label, response in responses.items():
        assert response.status_code in (200, 409), (label, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), label
        assert response["X-Content-Type-Options"] == "nosniff", label
    for label in ("clinic pdf", "api pdf"):
        assert responses[label]["Content-Disposition"].startswith("attachment;"), label


# --- submitted answers stay as they were --------------------------------------------------------


@pytest.fixture
def submitted_with_session(answered):
    """Intake A submitted while its patient's session (web and API) was still open."""
    patient = patient_client(answered)
    services.submit_intake(intake=answered.intake)
    return answered, patient


def frozen_state(intake: Intake) -> list[tuple]:
    return list(
        Response.objects.filter(intake=intake)
        .order_by("position")
        .values_list("answers", "revision", "answers_sha256", "submitted_at")
    )


def test_submitted_answers_refuse_change_by_model_service_web_and_api(submitted_with_session):
    invitation, patient = submitted_with_session
    before = frozen_state(invitation.intake)
    response = Response.objects.select_related("intake", "questionnaire_version").get(
        intake=invitation.intake, questionnaire_version__slug="medications"
    )
    response.answers = {"takes_medicines": "no"}
    with pytest.raises(ImmutableRecord):
        response.save()
    with pytest.raises(services.IntakeClosed):
        services.save_answers(
            response=response, answers={"takes_medicines": "no"}, revision=response.revision
        )
    step = patient.post(
        "/patient/step/1/", {"revision": 1, "action": "next", "areas": ["foot_left"]}
    )
    assert step["Location"] == "/patient/done/"
    autosave = patient.post("/patient/step/1/autosave/", {"revision": 1, "areas": ["foot_left"]})
    assert autosave["Location"] == "/patient/done/"
    api = patient.put(
        "/api/v1/patient/responses/medications/",
        {"revision": response.revision, "answers": {"takes_medicines": "no"}},
        content_type="application/json",
    )
    assert api.status_code == 410
    assert frozen_state(invitation.intake) == before


@pytest.fixture
def admin_client(django_user_model, client):
    admin = django_user_model.objects.create_superuser("admin", password=PASSWORD)
    client.force_login(admin)
    return client


def test_the_admin_shows_submitted_answers_read_only_and_a_post_changes_nothing(
    admin_client, submitted_intake
):
    before = frozen_state(submitted_intake)
    response = Response.objects.filter(intake=submitted_intake).order_by("position").first()
    url = f"/admin/intake/response/{response.pk}/change/"
    form = admin_client.get(url)
    assert form.status_code == 200
    assert b"Left big toe joint" in form.content  # shown, as text
    assert b'name="answers"' not in form.content
    posted = admin_client.post(
        url, {"answers": json.dumps({"areas": ["foot_left"]}), "revision": "9", "_save": "Save"}
    )
    assert posted.status_code == 403
    intake_url = f"/admin/intake/intake/{submitted_intake.pk}/change/"
    admin_client.post(intake_url, {"patient_name": "Changed Name", "status": "in_progress"})
    assert frozen_state(submitted_intake) == before
    intake = Intake.objects.get(pk=submitted_intake.pk)
    assert (intake.patient_name, intake.status) == ("Casey Placeholder", "submitted")


def test_audit_events_refuse_change_and_deletion_one_by_one_and_in_bulk(submitted_intake):
    event = AuditEvent.objects.filter(intake_id=submitted_intake.pk).first()
    event.detail = {"changed": True}
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()
    events = AuditEvent.objects.filter(intake_id=submitted_intake.pk)
    count = events.count()
    with pytest.raises(ImmutableRecord):
        events.update(detail={})
    with pytest.raises(ImmutableRecord):
        events.delete()
    assert AuditEvent.objects.filter(intake_id=submitted_intake.pk).count() == count
    assert not AuditEvent.objects.filter(detail={"changed": True}).exists()


def test_stored_digests_match_a_recomputation_of_the_answers_and_the_pdf_file(submitted_intake):
    for response in Response.objects.filter(intake=submitted_intake):
        canonical = json.dumps(
            response.answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert response.answers_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
        assert response.answers_sha256 == services.answers_digest(response.answers)
    served = summary_pdf(submitted_intake)
    intake = Intake.objects.get(pk=submitted_intake.pk)
    with intake.summary_pdf.open("rb") as stored:
        kept = stored.read()
    assert kept == served
    assert intake.summary_pdf_sha256 == hashlib.sha256(kept).hexdigest()


# --- staff sessions and sign-in ---------------------------------------------------------------


def test_a_staff_session_ends_after_30_idle_minutes(client, clinician):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(clinician)
        key = client.session.session_key
        assert client.get("/clinic/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/clinic/").status_code == 200  # activity renews the idle limit
        traveller.shift(timedelta(minutes=31))
        assert SessionStore(session_key=key).load() == {}
        idle = client.get("/clinic/")
        assert idle.status_code == 302
        assert idle["Location"].startswith(f"{LOGIN}?next=")


def test_even_an_active_staff_session_ends_12_hours_after_sign_in(client, clinician):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(clinician)
        key = client.session.session_key
        assert client.get("/clinic/").status_code == 200
        for _ in range(24):  # a request every 29 minutes: 11 h 36 min
            traveller.shift(timedelta(minutes=29))
            assert client.get("/clinic/").status_code == 200
        traveller.shift(timedelta(minutes=29))  # 12 h 5 min after sign-in
        ended = client.get("/clinic/")
        assert ended.status_code == 302
        assert ended["Location"].startswith(f"{LOGIN}?next=")
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get("/clinic/").status_code == 302


def test_sign_in_changes_the_session_key_and_sign_out_deletes_the_session_row(
    clinician, invitation
):
    client = patient_client(invitation)  # a browser that already has a session
    before = client.session.session_key
    signed_in = client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
    assert signed_in["Location"] == "/clinic/"
    key = client.session.session_key
    assert key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/clinic/").status_code == 302


def test_five_wrong_passwords_pause_sign_in_even_with_the_right_one_until_the_cool_off(
    client, clinician, front_desk
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            client.post(LOGIN, {"username": "clinician", "password": "wrong-password-12"})
        paused = client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
        assert paused.status_code in (403, 429)
        assert b"Sign-in paused" in paused.content
        assert "Content-Security-Policy" in paused
        assert inline_code(paused.content.decode()) == []
        assert "_auth_user_id" not in client.session
        assert client.get("/clinic/").status_code == 302
        other_user = Client().post(LOGIN, {"username": "frontdesk", "password": PASSWORD})
        assert other_user["Location"] == "/clinic/"  # the pause is per username and address
        traveller.shift(timedelta(minutes=14))
        still = client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
        assert b"Sign-in paused" in still.content  # and a try while paused starts it again
        traveller.shift(timedelta(minutes=14))
        wrong = client.post(LOGIN, {"username": "clinician", "password": "wrong-password-12"})
        assert b"Sign-in paused" in wrong.content
        traveller.shift(timedelta(minutes=15, seconds=1))
        again = client.post(LOGIN, {"username": "clinician", "password": PASSWORD})
        assert again.status_code == 302
        assert again["Location"] == "/clinic/"


# --- production settings ----------------------------------------------------------------------


def production(*command: str, **env: str) -> subprocess.CompletedProcess:
    """Run a command with the production settings and a strong secret."""
    clean = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this whole process.
        if key
        not in ("DEBUG", "SECRET_KEY", "DJANGO_ENV", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, *command],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "intake.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "intake.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://intake.example.org",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_deploy_check_finds_no_issue_in_production_mode():
    checked = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout
    assert "WARNING" not in checked.stdout + checked.stderr


def test_production_cookies_are_host_only_secure_and_hsts_covers_subdomains():
    names = [
        "DEBUG",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
    ]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    shown = production("-c", script)
    assert shown.returncode == 0, shown.stderr
    values = json.loads(shown.stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_TRUSTED_ORIGINS": ["https://intake.example.org"],
        "SECURE_HSTS_SECONDS": 63_072_000,  # two years: browsers keep to HTTPS that long
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
    }


# --- error pages ------------------------------------------------------------------------------

FAKE_ANSWER = "Gabapentin 300 mg, behind the left knee"


def _fail_with_a_health_answer(request):
    raise RuntimeError(f"could not save the answer {FAKE_ANSWER!r}")


urlpatterns = [path("boom/", _fail_with_a_health_answer), path("", include("intake.urls"))]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_plain_page_and_nothing_of_the_request_or_the_exception(
    clinician,
):
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    failed = client.post("/boom/?allergy=Penicillin", {"reaction": "Hives"})
    assert failed.status_code == 500
    page = failed.content.decode()
    assert "Something went wrong" in page
    for leak in ("Gabapentin", "left knee", "RuntimeError", "Traceback", "Penicillin", "Hives"):
        assert leak not in page, leak
    for leak in ("/boom/", "clinician", "csrf", "sessionid"):
        assert leak not in page.lower(), leak


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_logs_where_it_failed_but_not_the_answer_its_message_quoted(
    clinician, project_log
):
    client = Client(raise_request_exception=False)
    client.force_login(clinician)
    assert client.post("/boom/", {"reaction": "Hives"}).status_code == 500
    logged = project_log.getvalue()
    assert "Internal Server Error: /boom/" in logged
    assert "in _fail_with_a_health_answer" in logged  # the frames are kept for debugging
    assert "builtins.RuntimeError: [message withheld]" in logged
    for leak in (FAKE_ANSWER, "Gabapentin", "Hives"):
        assert leak not in logged, leak


@override_settings(DEBUG=False)
def test_a_missing_page_shows_the_plain_page_and_nothing_of_the_request(client, clinician):
    client.force_login(clinician)
    for url in ("/no-such-page/?allergy=Penicillin", f"/clinic/intakes/{'0' * 32}/"):
        missing = client.get(url)
        assert missing.status_code == 404
        page = missing.content.decode()
        assert "Page not found" in page
        for leak in ("Penicillin", "no-such-page", "0" * 32, "clinician", "Traceback"):
            assert leak not in page, (url, leak)


# --- retention --------------------------------------------------------------------------------


def test_purge_expired_removes_only_old_unsubmitted_intakes_and_keeps_the_audit_trail(
    questionnaires, submitted_intake, clinician
):
    def invite(name: str, expired_days_ago: int | None) -> Intake:
        intake = services.create_invitation(patient_name=name, date_of_birth=None).intake
        if expired_days_ago is not None:
            expired = timezone.now() - timedelta(days=expired_days_ago)
            Intake.objects.filter(pk=intake.pk).update(expires_at=expired)
        return intake

    old_draft = invite("Old Draft", None)
    response = old_draft.responses.select_related("intake", "questionnaire_version").first()
    services.save_answers(response=response, answers={"areas": ["foot_left"]}, revision=0)
    Intake.objects.filter(pk=old_draft.pk).update(expires_at=timezone.now() - timedelta(days=40))
    old_cancelled = invite("Old Cancelled", None)
    services.cancel_invitation(intake=old_cancelled, by=clinician)
    Intake.objects.filter(pk=old_cancelled.pk).update(
        expires_at=timezone.now() - timedelta(days=40)
    )
    recent = invite("Recently Expired", 5)
    still_open = invite("Still Open", None)
    Intake.objects.filter(pk=submitted_intake.pk).update(
        expires_at=timezone.now() - timedelta(days=400)
    )
    removed_ids, kept_ids = (
        {old_draft.pk, old_cancelled.pk},
        {
            recent.pk,
            still_open.pk,
            submitted_intake.pk,
        },
    )
    trail_before = AuditEvent.objects.filter(intake_id__in=removed_ids).count()
    frozen_before = frozen_state(submitted_intake)

    dry = io.StringIO()
    call_command("purge_expired", "--days", "30", "--dry-run", stdout=dry)
    assert dry.getvalue().startswith("Would remove 2 invitation(s)")
    assert "1 with draft answers" in dry.getvalue()
    assert Intake.objects.filter(pk__in=removed_ids | kept_ids).count() == 5
    assert not AuditEvent.objects.filter(action="intake_purged").exists()

    out = io.StringIO()
    call_command("purge_expired", "--days", "30", stdout=out)
    assert out.getvalue().startswith("Removed 2 invitation(s)")
    assert set(Intake.objects.values_list("pk", flat=True)) == kept_ids
    assert not Response.objects.filter(intake_id__in=removed_ids).exists()
    assert frozen_state(submitted_intake) == frozen_before
    purged = AuditEvent.objects.filter(action="intake_purged")
    assert sorted(purged.values_list("intake_id", flat=True)) == sorted(removed_ids)
    assert AuditEvent.objects.filter(intake_id__in=removed_ids).count() == trail_before + 2
