"""A clinician invites a patient, the patient answers on a phone, the clinician gets the PDF."""

import io
from datetime import date

import pypdf
import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from .patient_pages import Patient

pytestmark = pytest.mark.browser

PASSWORD = "a-long-invented-password-2026"


@pytest.fixture
def clinician(transactional_db, django_user_model, questionnaires):
    # transactional_db empties the tables the roles migration filled: grant the role directly.
    user = django_user_model.objects.create_user("dr-invented", password=PASSWORD)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_answers", "manage_invitations", "view_intake"]
        )
    )
    return user


def test_invite_answer_on_a_phone_and_download_the_pdf(
    page, new_phone, live_server, settings, clinician
):
    settings.PUBLIC_BASE_URL = live_server.url
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/clinic/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#id_username", "dr-invented")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Intakes")

    with page.expect_navigation():
        page.get_by_role("link", name="New invitation").first.click()
    page.fill("#id_patient_name", "Quinn Invented")
    page.fill("#id_date_of_birth", "1981-02-03")
    page.fill("#id_clinic_reference", "BR-7")
    with page.expect_navigation():
        page.click("text=Create invitation")
    link = page.input_value("#invitation-link")
    assert link.startswith(f"{live_server.url}/i/")
    assert page.locator(".qr svg").count() == 1

    phone = Patient(new_phone(), link, date(1981, 2, 3))
    phone.sign_in()
    phone.submit("text=Start")
    phone.expect_heading("Where and since when")
    phone.choose("areas", "calf_left")
    phone.next("How often and when")
    phone.page.goto(f"{live_server.url}/patient/review/")
    phone.expect_heading("Check your answers")
    phone.send()

    page.goto(f"{live_server.url}/clinic/?q=Quinn")
    row = page.locator("table.list tbody tr").first
    expect(row).to_contain_text("Quinn Invented")
    expect(row).to_contain_text("Submitted")
    with page.expect_navigation():
        row.get_by_role("link", name="Quinn Invented").click()
    expect(page.locator(".summary-document")).to_contain_text("Left calf")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("intake-BR-7-")
    pdf = download.path().read_bytes()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Quinn Invented" in text
    assert "Left calf" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Answers as CSV").click()
    rows = download_info.value.path().read_text()
    assert ",areas,,,calf_left,Left calf," in rows

    page.goto(f"{live_server.url}/clinic/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export answers (CSV)").click()
    assert ",areas,,,calf_left,Left calf," in download_info.value.path().read_text()
