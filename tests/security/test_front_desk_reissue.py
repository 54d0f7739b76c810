"""Front desk may issue links but never read or change an answer, by any sequence of actions.

The front desk sees the date of birth and is shown every link it creates or re-issues. Answers
are shown, changed and sent only from the patient device that gave them, so opening such a
link shows that answers exist and nothing of what they are (SECURITY.md).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, EarlierAnswers, Intake

from ..api.conftest import device_key, invitation_client, token_client
from ..api.test_end_to_end import _fill_by_web_pages
from ..patient.conftest import open_link

pytestmark = pytest.mark.django_db

ROBIN_BIRTH = ("30", "6", "1975")
# What Robin typed, as it would show if it leaked (free text and dates from the demo answers).
SECRETS = [
    "Left big toe joint",
    "Magnesium glycinate",
    "worst after long runs",
    "Microdiscectomy",
    "Right knee arthroscopy",
    "Fusion at",
    "2024-03",
]


def link_token(body: str) -> str:
    return re.search(r"/i/([A-Za-z0-9_-]{20,})/", body).group(1)


@pytest.fixture
def robin_answered(invitation):
    """Robin has answered every questionnaire on their phone, through the pages, not sent."""
    phone = Client()
    open_link(phone, invitation, birth_date=ROBIN_BIRTH)
    _fill_by_web_pages(phone, invitation)
    stored = {r.pk: (r.revision, r.answers) for r in invitation.intake.responses.all()}
    assert any("Left big toe joint" in str(answers) for _, answers in stored.values())
    return phone, stored


def assert_no_answer_in(bodies: list[tuple[str, str]]) -> None:
    for where, body in bodies:
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked in {where}"


def assert_answers_unchanged(intake: Intake, stored: dict) -> None:
    now = {r.pk: (r.revision, r.answers) for r in intake.responses.all()}
    assert now == stored
    assert Intake.objects.get(pk=intake.pk).status == Intake.Status.IN_PROGRESS


def walk_patient_pages(client: Client) -> list[tuple[str, str]]:
    """Visit every patient page and try every action a patient page offers."""
    seen = []
    for url in ["/patient/", "/patient/review/", *(f"/patient/step/{n}/" for n in range(1, 15))]:
        response = client.get(url, follow=True)
        seen.append((url, response.content.decode()))
    for number in range(1, 15):
        response = client.post(
            f"/patient/step/{number}/autosave/", {"revision": 1, "anything_else": "x"}
        )
        seen.append((f"autosave {number}", response.content.decode()))
    seen.append(("submit", client.post("/patient/submit/", follow=True).content.decode()))
    return seen


def test_front_desk_reissuing_and_opening_the_link_on_the_pages_sees_and_changes_nothing(
    robin_answered, invitation, front_desk
):
    _, stored = robin_answered
    desk = Client()
    desk.force_login(front_desk)
    bodies = [
        ("dashboard", desk.get("/clinic/").content.decode()),
        ("search", desk.get("/clinic/?q=Robin").content.decode()),
        ("intake page", desk.get(f"/clinic/intakes/{invitation.intake.pk}/").content.decode()),
    ]
    reissued = desk.post(f"/clinic/intakes/{invitation.intake.pk}/reissue/")
    assert reissued.status_code == 200
    bodies.append(("re-issue", reissued.content.decode()))
    token = link_token(reissued.content.decode())

    desk_phone = Client()
    assert desk_phone.get(f"/i/{token}/").status_code == 302
    day, month, year = ROBIN_BIRTH  # the front desk sees the date of birth
    verified = desk_phone.post("/patient/verify/", {"day": day, "month": month, "year": year})
    assert verified.status_code == 302
    bodies += walk_patient_pages(desk_phone)

    assert "answered on another phone" in desk_phone.get("/patient/review/").content.decode()
    assert_no_answer_in(bodies)
    assert_answers_unchanged(invitation.intake, stored)


def test_the_link_the_front_desk_was_shown_at_invitation_opens_nothing_either(
    questionnaires, front_desk
):
    desk = Client()
    desk.force_login(front_desk)
    created = desk.post(
        "/clinic/invitations/new/",
        {
            "patient_name": "Robin Testperson",
            "date_of_birth": "1975-06-30",
            "clinic_reference": "T-7",
            "expires_in_days": 14,
            "questionnaires": [one.slug for one in questionnaires],
        },
    )
    assert created.status_code == 200, created.content.decode()[:2000]
    token = link_token(created.content.decode())
    intake = services.intake_for_token(token)
    phone = Client()
    phone.get(f"/i/{token}/")
    phone.post("/patient/verify/", dict(zip(("day", "month", "year"), ROBIN_BIRTH, strict=True)))
    invitation = services.Invitation(intake, token)
    _fill_by_web_pages(phone, invitation)
    stored = {r.pk: (r.revision, r.answers) for r in intake.responses.all()}

    desk_phone = Client()
    desk_phone.get(f"/i/{token}/")
    desk_phone.post(
        "/patient/verify/", dict(zip(("day", "month", "year"), ROBIN_BIRTH, strict=True))
    )
    assert_no_answer_in(walk_patient_pages(desk_phone))
    assert_answers_unchanged(intake, stored)


def test_front_desk_through_the_api_sees_and_changes_nothing(
    robin_answered, invitation, front_desk
):
    _, stored = robin_answered
    desk = token_client(front_desk)
    bodies = [
        ("list", desk.get("/api/v1/intakes/?q=Robin").content.decode()),
        ("detail", desk.get(f"/api/v1/intakes/{invitation.intake.pk}/").content.decode()),
    ]
    reissued = desk.post(f"/api/v1/intakes/{invitation.intake.pk}/reissue/")
    assert reissued.status_code == 200
    token = reissued.json()["link"].rstrip("/").rsplit("/", 1)[1]
    for device in ("front-desk-app", None):
        as_patient = invitation_client(token, device=device)
        read = as_patient.get("/api/v1/patient/intake/")
        assert read.status_code == 200
        assert all(q["sealed"] and q["answers"] == {} for q in read.json()["questionnaires"])
        bodies.append(("patient read", read.content.decode()))
        for slug in ("twitch_history", "back_injury", "surgeries", "medications"):
            put = as_patient.put(
                f"/api/v1/patient/responses/{slug}/",
                {"revision": 1, "answers": {"anything_else": "changed"}},
                format="json",
            )
            assert put.status_code in (400, 409), put.content
            bodies.append((f"put {slug}", put.content.decode()))
        submit = as_patient.post("/api/v1/patient/submit/")
        assert submit.status_code == 409
        bodies.append(("submit", submit.content.decode()))
    assert_no_answer_in(bodies)
    assert_answers_unchanged(invitation.intake, stored)


def test_the_patients_own_phone_still_sees_everything_after_a_reissue(
    robin_answered, invitation, front_desk
):
    phone, _ = robin_answered
    new = services.reissue_invitation(intake=invitation.intake, by=front_desk)
    open_link(phone, new, birth_date=ROBIN_BIRTH)
    review = phone.get("/patient/review/").content.decode()
    assert "Left big toe joint" in review
    assert "Send my answers" in review


def test_answering_again_elsewhere_keeps_the_earlier_answers_for_the_clinician(
    robin_answered, invitation, front_desk, clinician
):
    _, stored = robin_answered
    new = services.reissue_invitation(intake=invitation.intake, by=front_desk)
    tablet = Client()
    open_link(tablet, new, birth_date=ROBIN_BIRTH)
    restarted = tablet.post("/patient/restart/twitch_history/")
    assert restarted.status_code == 302
    page = tablet.get(restarted["Location"]).content.decode()
    assert "Left big toe joint" not in page
    earlier = EarlierAnswers.objects.get(response__questionnaire_version__slug="twitch_history")
    twitching = invitation.intake.responses.get(questionnaire_version__slug="twitch_history")
    assert (earlier.revision, earlier.answers) == stored[twitching.pk]
    assert twitching.answers == {}

    reader = Client()
    reader.force_login(clinician)
    summary = reader.get(f"/clinic/intakes/{invitation.intake.pk}/summary/").content.decode()
    assert "Re-issued" in summary and "by frontdesk" in summary
    assert "Answered again from another device after that: Muscle twitching" in summary
    assert "Muscle twitching: earlier answers, replaced" in summary
    assert "Left big toe joint" in summary  # the clinician sees what was replaced
    detail = token_client(clinician).get(f"/api/v1/intakes/{invitation.intake.pk}/").json()
    [reissue] = detail["link_reissues"]
    assert reissue["reissued_by"] == "frontdesk"
    assert reissue["questionnaires_answered_again_after"] == ["twitch_history"]
    assert detail["earlier_answers"][0]["answers"] == stored[twitching.pk][1]


def test_the_summary_names_the_questionnaires_changed_after_a_reissue(
    invitation, front_desk, clinician
):
    services.reissue_invitation(intake=invitation.intake, by=front_desk)
    phone = invitation_client(invitation.token, device=None)  # the old token no longer works
    assert phone.get("/api/v1/patient/intake/").status_code == 401
    intake = Intake.objects.get(pk=invitation.intake.pk)
    medicines = intake.responses.select_related("questionnaire_version", "intake").get(
        questionnaire_version__slug="medications"
    )
    services.save_answers(
        response=medicines,
        answers=DEMO_ANSWERS["medications"],
        revision=0,
        device=device_key("x"),
    )
    from intake.summary.document import intake_document, render_document_html
    from intake.summary.pdf import render_pdf

    html = render_document_html(intake_document(intake))
    assert "Answers saved after that: Medicines and supplements." in html
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(
        page.extract_text() for page in PdfReader(BytesIO(render_pdf(html))).pages
    ).replace("\n", " ")
    assert "by frontdesk" in text
    assert "Answers saved after that: Medicines and supplements." in text
    detail = token_client(clinician).get(f"/api/v1/intakes/{intake.pk}/").json()
    assert detail["link_reissues"][0]["questionnaires_changed_after"] == ["medications"]


def test_an_intake_never_reissued_says_nothing_about_reissues(submitted_intake, clinician):
    reader = Client()
    reader.force_login(clinician)
    summary = reader.get(f"/clinic/intakes/{submitted_intake.pk}/summary/").content.decode()
    assert "Re-issued" not in summary
    detail = token_client(clinician).get(f"/api/v1/intakes/{submitted_intake.pk}/").json()
    assert detail["link_reissues"] == [] and detail["earlier_answers"] == []


def test_every_read_of_answers_by_the_patient_is_audited(invitation):
    patient = Client()
    open_link(patient, invitation, birth_date=ROBIN_BIRTH)

    def viewed() -> list[str]:
        return [
            e.detail["page"]
            for e in AuditEvent.objects.filter(action=AuditEvent.Action.ANSWERS_VIEWED).order_by(
                "created_at", "id"
            )
        ]

    patient.get("/patient/step/1/")
    patient.get("/patient/review/")
    invitation_client(invitation.token).get("/api/v1/patient/intake/")
    assert viewed() == ["twitch_history:where", "review", "api"]


def test_a_device_key_that_is_not_random_enough_cannot_save(invitation):
    client = APIClient()
    client.credentials(
        HTTP_X_INTAKE_TOKEN=invitation.token,
        HTTP_X_INTAKE_BIRTH_DATE="1975-06-30",
        HTTP_X_INTAKE_DEVICE="short",
    )
    response = client.put(
        "/api/v1/patient/responses/surgeries/",
        {"revision": 0, "answers": {"had_surgery": "no"}},
        format="json",
    )
    assert response.status_code == 400
    assert "X-Intake-Device" in response.json()["errors"]
    assert invitation.intake.responses.get(questionnaire_version__slug="surgeries").revision == 0


def test_resending_the_stored_answers_from_another_device_confirms_nothing(
    robin_answered, invitation
):
    """A retried save succeeds for its own device; from another it must not act as an oracle."""
    _, stored = robin_answered
    surgeries = invitation.intake.responses.get(questionnaire_version__slug="surgeries")
    revision, answers = stored[surgeries.pk]
    guess = invitation_client(invitation.token, device="front-desk-app").put(
        "/api/v1/patient/responses/surgeries/",
        {"revision": revision - 1, "answers": answers},
        format="json",
    )
    assert guess.status_code == 409
    assert guess.json()["sealed"] == ["surgeries"]
    assert "Microdiscectomy" not in guess.content.decode()
