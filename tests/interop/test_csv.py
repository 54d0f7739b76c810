"""Long-format CSV exports: one intake, and in bulk by submission date and status."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine

from intake import services
from intake.interop.answers_csv import COLUMNS, answers_from_rows, read_cell, safe_cell
from intake.models import AuditEvent, Intake
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode()
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def submit(name: str, medicines: list[dict], when: str, **answers) -> Intake:
    with time_machine.travel(when, tick=False):
        invitation = services.create_invitation(
            patient_name=name, date_of_birth=date(1970, 1, 2), clinic_reference=f"REF-{name[:3]}"
        )
        response = invitation.intake.responses.get(questionnaire_version__slug="medications")
        services.save_answers(
            response=response,
            answers={"takes_medicines": "yes", "medicines": medicines, **answers},
            revision=0,
        )
        return services.submit_intake(intake=invitation.intake)


MEDICINES = [
    {"_id": "aaa111", "medicine_name": '=HYPERLINK("http://x.test")', "medicine_dose": "5 mg"},
    {"_id": "bbb222", "medicine_name": "Invented-ol", "medicine_dose": "-2 tablets"},
]


def test_one_intakes_csv_keeps_entry_ids_order_and_neutralises_formulas(questionnaires, clinician):
    intake = submit("Alex Madeup", MEDICINES, "2026-11-02 09:00Z")
    rows = csv_rows(token_client(clinician).get(f"/api/v1/intakes/{intake.pk}/answers.csv"))
    names = [row for row in rows if row["item_id"] == "medicine_name"]
    assert [(r["entry_id"], r["entry_order"]) for r in names] == [("aaa111", "1"), ("bbb222", "2")]
    assert names[0]["value"] == '\'=HYPERLINK("http://x.test")'
    assert names[0]["item_path"].endswith("/medicines/medicine_name")
    doses = [row["value"] for row in rows if row["item_id"] == "medicine_dose"]
    assert doses == ["5 mg", "'-2 tablets"]
    assert {row["intake_id"] for row in rows} == {str(intake.pk)}
    assert {row["questionnaire"] for row in rows} == {"medications"}
    yes = next(row for row in rows if row["item_id"] == "takes_medicines")
    assert (yes["value"], yes["value_label"]) == ("yes", "Yes")
    stored = intake.responses.get(questionnaire_version__slug="medications")
    definition = stored.questionnaire_version.questionnaire
    assert answers_from_rows(definition, rows) == stored.answers
    event = AuditEvent.objects.filter(intake_id=intake.pk).first()
    assert (event.action, event.detail["format"]) == ("answers_exported", "csv")


def test_cells_a_spreadsheet_would_run_are_quoted_and_read_back():
    for text in ("=1+1", "+CMD", "-x", "@SUM(A1)", "'quoted", "\tTab"):
        assert safe_cell(text).startswith("'")
        assert read_cell(safe_cell(text)) == text
    for text in ("-5", "+3.5", "plain", "1e5"):
        assert safe_cell(text) == text


def test_bulk_export_takes_the_intakes_submitted_in_the_range_in_one_audit_event(
    questionnaires, clinician
):
    early = submit("Early Person", MEDICINES[:1], "2026-10-01 09:00Z")
    inside = submit("Inside Person", MEDICINES[1:], "2026-11-10 09:00Z")
    late = submit("Late Person", MEDICINES[:1], "2026-11-30 09:00Z")
    before = AuditEvent.objects.count()
    url = "/api/v1/exports/answers.csv?submitted_from=2026-11-01&submitted_to=2026-11-10"
    rows = csv_rows(token_client(clinician).get(url))
    assert {row["intake_id"] for row in rows} == {str(inside.pk)}
    assert str(early.pk) not in str(rows) and str(late.pk) not in str(rows)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event.action == "answers_exported"
    assert event.detail["submitted_from"] == "2026-11-01"
    assert event.detail["status"] == "submitted"


def test_bulk_export_refuses_a_date_that_is_not_one(questionnaires, clinician):
    response = token_client(clinician).get("/api/v1/exports/answers.csv?submitted_from=soon")
    assert response.status_code == 400
    assert "submitted_from" in response.json()["detail"] or "submitted_from" in str(response.json())


def test_front_desk_cannot_export_answers(questionnaires, front_desk):
    intake = submit("Alex Madeup", MEDICINES, "2026-11-02 09:00Z")
    client = token_client(front_desk)
    assert client.get(f"/api/v1/intakes/{intake.pk}/answers.csv").status_code == 403
    assert client.get("/api/v1/exports/answers.csv").status_code == 403


def test_the_clinic_pages_offer_the_exports_to_clinicians_only(
    questionnaires, clinician, front_desk, client
):
    intake = submit("Alex Madeup", MEDICINES, "2026-11-02 09:00Z")
    client.force_login(clinician)
    page = client.get(f"/clinic/intakes/{intake.pk}/").content.decode()
    assert f"/api/v1/intakes/{intake.pk}/answers.csv" in page
    assert f"/api/v1/intakes/{intake.pk}/fhir/" in page
    assert "/api/v1/exports/answers.csv" in client.get("/clinic/").content.decode()
    client.force_login(front_desk)
    assert "/api/v1/exports/answers.csv" not in client.get("/clinic/").content.decode()
