"""Creating, cancelling and re-issuing invitations from the clinic pages."""

import io
import re

import cairosvg
import pytest
import zxingcpp
from PIL import Image

from intake import services
from intake.models import Intake

pytestmark = pytest.mark.django_db

FORM = {
    "patient_name": "Nia Invented",
    "date_of_birth": "1984-05-06",
    "clinic_reference": "A-77",
    "questionnaires": [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ],
    "expires_in_days": "14",
}


def test_new_invitation_shows_the_link_once_with_a_qr_code_and_a_handout(
    client, front_desk, questionnaires
):
    client.force_login(front_desk)
    form = client.get("/clinic/invitations/new/").content.decode()
    assert form.count('type="checkbox"') == 5 and form.count("checked") >= 5
    response = client.post("/clinic/invitations/new/", FORM)
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'value="(https://intake\.example\.test/i/[^"]+/)"', page).group(1)
    token = link.rsplit("/", 2)[1]
    intake = Intake.objects.get()
    assert services.intake_for_token(token) == intake
    assert "<svg" in page and "Print handout" in page and "Copy link" in page
    assert "no-store" in response["Cache-Control"]
    assert intake.created_by == front_desk
    assert [r.questionnaire_version.slug for r in intake.responses.all()] == FORM["questionnaires"]
    assert token not in client.get(f"/clinic/intakes/{intake.pk}/").content.decode()


def test_questionnaires_can_be_chosen(client, clinician, questionnaires):
    client.force_login(clinician)
    client.post("/clinic/invitations/new/", {**FORM, "questionnaires": ["medications"]})
    intake = Intake.objects.get()
    assert [r.questionnaire_version.slug for r in intake.responses.all()] == ["medications"]


def test_about_your_health_is_offered_ticked_and_can_be_left_out(
    client, front_desk, questionnaires
):
    client.force_login(front_desk)
    form = client.get("/clinic/invitations/new/").content.decode()
    box = re.search(r'<input[^>]*value="health_background"[^>]*>', form).group(0)
    assert "checked" in box
    assert "About your health" in form
    four = [slug for slug in FORM["questionnaires"] if slug != "health_background"]
    page = client.post("/clinic/invitations/new/", {**FORM, "questionnaires": four})
    token = re.search(r'value="https://intake\.example\.test/i/([^"/]+)/"', page.content.decode())
    intake = Intake.objects.get()
    assert [r.questionnaire_version.slug for r in intake.responses.all()] == four

    client.logout()
    client.get(f"/i/{token.group(1)}/")
    client.post("/patient/verify/", {"day": "6", "month": "5", "year": "1984"})
    start = client.get("/patient/").content.decode()
    assert "in 4 parts: Muscle twitching, Back and neck, Surgeries and procedures" in start
    assert "About your health" not in start


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"patient_name": ""}, "This field is required."),
        ({"date_of_birth": "2999-01-01"}, "The date of birth cannot be in the future."),
        ({"date_of_birth": "1899-12-31"}, "The date of birth cannot be before 1900."),
        ({"questionnaires": []}, "This field is required."),
        ({"expires_in_days": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_input_is_explained_and_kept(client, clinician, questionnaires, change, message):
    client.force_login(clinician)
    response = client.post("/clinic/invitations/new/", {**FORM, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "A-77" in page
    assert not Intake.objects.exists()


def test_cancel_and_reissue(client, clinician, invitation):
    client.force_login(clinician)
    intake = invitation.intake
    reissued = client.post(f"/clinic/intakes/{intake.pk}/reissue/").content.decode()
    new_token = re.search(r"/i/([^/\"]+)/", reissued).group(1)
    assert services.intake_for_token(invitation.token) is None
    assert services.intake_for_token(new_token) == intake
    assert client.post(f"/clinic/intakes/{intake.pk}/cancel/").status_code == 302
    assert Intake.objects.get(pk=intake.pk).status == "cancelled"
    assert client.get(f"/i/{new_token}/").status_code == 410


def test_a_submitted_intake_cannot_be_cancelled_from_the_page(client, clinician, submitted_intake):
    client.force_login(clinician)
    response = client.post(f"/clinic/intakes/{submitted_intake.pk}/cancel/")
    assert response.status_code == 409
    assert b"submitted" in response.content


def test_actions_need_post(client, clinician, invitation):
    client.force_login(clinician)
    assert client.get(f"/clinic/intakes/{invitation.intake.pk}/cancel/").status_code == 405


def scanned_qr_codes(page: str) -> list[str]:
    """Draw the page's QR code as a phone camera would see it and return what it decodes to."""
    svg = re.search(r'<div class="qr"[^>]*>(<svg .*?</svg>)</div>', page, re.S).group(1)
    if "xmlns=" not in svg:  # inline in HTML it needs none; as a file it does
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=400, background_color="white")
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_qr_code_on_the_handout_opens_the_patients_link(client, front_desk, questionnaires):
    client.force_login(front_desk)
    page = client.post("/clinic/invitations/new/", FORM).content.decode()
    link = re.search(r'value="(https://intake\.example\.test/i/[^"]+/)"', page).group(1)
    assert scanned_qr_codes(page) == [link]
    token = link.rsplit("/", 2)[1]
    assert services.intake_for_token(token) == Intake.objects.get()


def test_a_reissued_invitations_qr_code_opens_the_new_link(client, clinician, invitation):
    client.force_login(clinician)
    page = client.post(f"/clinic/intakes/{invitation.intake.pk}/reissue/").content.decode()
    link = re.search(r'value="(https://intake\.example\.test/i/[^"]+/)"', page).group(1)
    assert scanned_qr_codes(page) == [link]
    assert services.intake_for_token(link.rsplit("/", 2)[1]) == invitation.intake
    assert invitation.token not in link
