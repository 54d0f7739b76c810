"""The clinician's summary says whether the answers and the stored PDF are verified."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from intake.integrity import triggers
from intake.models import Intake, Response
from tests.api.conftest import token_client


def tamper_pdf(intake: Intake) -> None:
    with open(intake.summary_pdf.path, "r+b") as pdf:
        pdf.seek(200)
        pdf.write(b"tampered")


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def pdf_stored(signed_in, submitted_intake) -> Intake:
    assert signed_in.get(f"/clinic/intakes/{submitted_intake.pk}/summary.pdf").status_code == 200
    return Intake.objects.get(pk=submitted_intake.pk)


def test_the_summary_says_verified_for_untouched_answers_and_pdf(signed_in, pdf_stored):
    for url in (f"/clinic/intakes/{pdf_stored.pk}/", f"/clinic/intakes/{pdf_stored.pk}/summary/"):
        page = signed_in.get(url).content.decode()
        assert "Verified: the answers and the stored PDF match" in page, url
        assert "Integrity check failed" not in page


def test_a_rewritten_pdf_is_named_on_the_summary_and_not_served(signed_in, pdf_stored, clinician):
    tamper_pdf(pdf_stored)

    page = signed_in.get(f"/clinic/intakes/{pdf_stored.pk}/summary/").content.decode()
    assert "Integrity check failed:</strong> the stored PDF does not match its SHA-256" in page
    assert "Verified" not in page
    download = signed_in.get(f"/clinic/intakes/{pdf_stored.pk}/summary.pdf")
    assert download.status_code == 409
    assert b"does not match the SHA-256" in download.content
    assert b"tampered" not in download.content
    api = token_client(clinician).get(f"/api/v1/intakes/{pdf_stored.pk}/summary.pdf")
    assert api.status_code == 409
    assert "does not match the SHA-256" in api.json()["detail"]


def test_a_changed_answer_is_named_by_its_questionnaire(signed_in, submitted_intake):
    medications = Response.objects.get(
        intake=submitted_intake, questionnaire_version__slug="medications"
    )
    triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake_response SET answers = %s WHERE id = %s",
            [json.dumps({**medications.answers, "takes_medicines": "no"}), medications.pk],
        )
    triggers.install(connection)

    page = signed_in.get(f"/clinic/intakes/{submitted_intake.pk}/").content.decode()

    named = "the answers to Medicines and supplements do not match the SHA-256 fixed at submission"
    assert named in page
