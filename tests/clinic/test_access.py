"""Who sees what: anonymous signs in, front desk never sees answers, clinicians see all."""

import pytest
from django.urls import reverse

from intake.models import AuditEvent

from ..pdf_text import assert_demo_summary

pytestmark = pytest.mark.django_db


def urls(intake):
    return {
        "dashboard": reverse("clinic:dashboard"),
        "new": reverse("clinic:new_invitation"),
        "intake": reverse("clinic:intake", args=[intake.pk]),
        "summary": reverse("clinic:summary", args=[intake.pk]),
        "pdf": reverse("clinic:pdf", args=[intake.pk]),
    }


def test_anonymous_is_sent_to_sign_in_from_every_clinic_page(client, submitted_intake):
    for url in urls(submitted_intake).values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("page", ["summary", "pdf"])
def test_front_desk_gets_403_on_answers_and_the_refusal_is_recorded(
    client, front_desk, submitted_intake, page
):
    client.force_login(front_desk)
    response = client.get(urls(submitted_intake)[page])
    assert response.status_code == 403
    assert b"Gabapentin" not in response.content
    denied = AuditEvent.objects.get(action="access_denied")
    assert denied.actor == front_desk
    assert denied.intake_id == submitted_intake.pk


def test_front_desk_sees_status_but_never_answers(client, front_desk, submitted_intake):
    client.force_login(front_desk)
    for page in ("dashboard", "intake", "new"):
        response = client.get(urls(submitted_intake)[page])
        assert response.status_code == 200, page
        for answer in ("Gabapentin", "Penicillin", "Microdiscectomy", "Download PDF"):
            assert answer.encode() not in response.content, (page, answer)
    assert b"Casey Placeholder" in client.get(urls(submitted_intake)["dashboard"]).content


def test_clinician_reads_the_summary_and_downloads_the_pdf(client, clinician, submitted_intake):
    client.force_login(clinician)
    summary = client.get(urls(submitted_intake)["summary"])
    assert summary.status_code == 200
    for answer in ("Gabapentin", "Penicillin", "Microdiscectomy", "Key items"):
        assert answer.encode() in summary.content
    assert "no-store" in summary["Cache-Control"]
    pdf = client.get(urls(submitted_intake)["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    day = submitted_intake.submitted_at.date().isoformat()
    assert pdf["Content-Disposition"] == f'attachment; filename="intake-CHART-42-{day}.pdf"'
    assert "no-store" in pdf["Cache-Control"]
    assert_demo_summary(pdf.content, patient="Casey Placeholder", reference="CHART-42")
    actions = list(
        AuditEvent.objects.filter(intake_id=submitted_intake.pk).values_list("action", flat=True)
    )
    assert "summary_viewed" in actions
    assert "pdf_downloaded" in actions


def test_signing_in_and_failing_to_are_recorded_without_the_password(client, clinician):
    bad = client.post("/accounts/login/", {"username": "clinician", "password": "wrong-one-123"})
    assert bad.status_code == 200
    assert b"The username or password is not right" in bad.content
    good = client.post(
        "/accounts/login/", {"username": "clinician", "password": "correct-horse-battery"}
    )
    assert good["Location"] == "/clinic/"
    events = AuditEvent.objects.order_by("id")
    assert [e.action for e in events] == ["sign_in_failed", "signed_in"]
    assert "wrong-one-123" not in str([(e.detail, e.actor_label) for e in events])


def test_sign_out_ends_the_session(client, clinician):
    client.force_login(clinician)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/clinic/").status_code == 302


def test_clinicians_intake_page_shows_the_summary_timeline_and_audit_trail(
    client, clinician, submitted_intake
):
    client.force_login(clinician)
    page = client.get(urls(submitted_intake)["intake"]).content.decode()
    for text in (
        "Key items",
        "Gabapentin",
        "Invited",
        "Submitted",
        "Audit trail",
        "Intake submitted",
        "Download PDF",
    ):
        assert text in page, text
    assert AuditEvent.objects.filter(action="summary_viewed", actor=clinician).count() == 1
