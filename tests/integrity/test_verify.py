"""`manage.py verify_integrity` names every tampered answer, PDF and audit event."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from intake import audit
from intake.integrity import triggers
from intake.models import AuditEvent, Intake, Response
from intake.summary.service import summary_pdf


def verify() -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("verify_integrity", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def as_database_owner(sql: str, params: list) -> None:
    """Run a write the triggers refuse, as someone who can drop them would (and put them back)."""
    triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


@pytest.fixture
def stored_pdf(submitted_intake) -> Intake:
    summary_pdf(submitted_intake)
    return Intake.objects.get(pk=submitted_intake.pk)


def test_untouched_data_verifies_and_exits_zero(stored_pdf, clinician):
    audit.record(audit.Action.SIGNED_IN, user=clinician, ip_address="2001:db8::1")
    output, error = verify()
    assert error is None
    assert "5 submitted response(s), 1 stored PDF(s), 0 photo(s) and video(s)" in output
    assert output.strip().endswith("everything matches.")


def test_a_changed_answer_and_a_rewritten_pdf_are_named_and_the_exit_is_non_zero(stored_pdf):
    medications = Response.objects.get(intake=stored_pdf, questionnaire_version__slug="medications")
    changed = {**medications.answers, "takes_medicines": "no"}
    as_database_owner(
        "UPDATE intake_response SET answers = %s WHERE id = %s",
        [json.dumps(changed), medications.pk],
    )
    with open(stored_pdf.summary_pdf.path, "r+b") as pdf:
        pdf.seek(200)
        pdf.write(b"tampered")

    output, error = verify()

    assert error is not None and error.returncode == 1
    assert "2 mismatch(es)" in str(error)
    assert (
        f"intake {stored_pdf.pk}: response {medications.pk}: answers do not match their SHA-256"
        in output
    )
    assert f"intake {stored_pdf.pk}: stored PDF does not match its SHA-256" in output
    assert "takes_medicines" not in output and "Gabapentin" not in output  # never answers


def test_a_missing_pdf_file_is_named(stored_pdf):
    stored_pdf.summary_pdf.storage.delete(stored_pdf.summary_pdf.name)
    output, error = verify()
    assert error is not None
    assert f"intake {stored_pdf.pk}: stored PDF is missing" in output


def test_a_changed_or_removed_audit_event_breaks_its_chain(submitted_intake):
    events = list(AuditEvent.objects.filter(intake_id=submitted_intake.pk).order_by("id"))
    first, second, third = events[0], events[1], events[2]
    as_database_owner(
        "UPDATE intake_auditevent SET actor_label = %s WHERE id = %s", ["someone", first.pk]
    )
    as_database_owner("DELETE FROM intake_auditevent WHERE id = %s", [second.pk])

    output, error = verify()

    assert error is not None
    where = f"audit event {{}} (intake {submitted_intake.pk})"
    assert where.format(first.pk) + ": its content does not match its hash" in output
    assert where.format(third.pk) + ": does not follow the event before it in its chain" in output
    assert output.count("audit event") == 2


def test_each_intake_has_its_own_chain_and_sign_ins_share_one(submitted_intake, clinician):
    audit.record(audit.Action.SIGNED_IN, user=clinician, ip_address="192.0.2.7")
    audit.record(audit.Action.SIGNED_OUT, user=clinician, ip_address="192.0.2.7")
    events = list(AuditEvent.objects.filter(intake_id=submitted_intake.pk).order_by("id"))
    assert events[0].previous_hash == ""
    assert [e.previous_hash for e in events[1:]] == [e.event_hash for e in events[:-1]]
    sign_in, sign_out = AuditEvent.objects.filter(intake_id__isnull=True).order_by("id")
    assert (sign_in.previous_hash, sign_out.previous_hash) == ("", sign_in.event_hash)


def test_a_missing_trigger_is_named(db):
    with connection.cursor() as cursor:
        on = " ON intake_auditevent" if connection.vendor == "postgresql" else ""
        cursor.execute(f"DROP TRIGGER intake_audit_no_delete{on}")
    output, error = verify()
    assert error is not None
    assert "database: trigger intake_audit_no_delete is missing" in output
