"""The Django admin shows intakes, answers and audit events, and changes none, for anyone."""

from __future__ import annotations

import json

import pytest

from intake.models import AuditEvent, Intake, Response


@pytest.fixture
def superuser_client(django_user_model, client):
    client.force_login(django_user_model.objects.create_superuser("root", password="x" * 16))
    return client


def stored(intake: Intake) -> list[tuple]:
    return list(
        Response.objects.filter(intake=intake)
        .order_by("position")
        .values_list("answers", "revision", "submitted_at")
    )


def test_a_superuser_cannot_store_uncleaned_draft_answers_through_the_admin(
    superuser_client, invitation
):
    response = Response.objects.filter(intake=invitation.intake).order_by("position").first()
    url = f"/admin/intake/response/{response.pk}/change/"
    before = stored(invitation.intake)

    shown = superuser_client.get(url)
    posted = superuser_client.post(
        url,
        {
            "answers": json.dumps({"not_an_item": "<script>", "had_surgery": "maybe"}),
            "revision": "0",
            "_save": "Save",
        },
    )

    assert shown.status_code == 200
    assert b'name="answers"' not in shown.content
    assert posted.status_code == 403
    assert stored(invitation.intake) == before
    assert superuser_client.post(f"/admin/intake/response/{response.pk}/delete/").status_code == 403


def test_a_superuser_cannot_change_cancel_or_delete_an_intake_through_the_admin(
    superuser_client, invitation
):
    intake = invitation.intake
    url = f"/admin/intake/intake/{intake.pk}/change/"
    form = superuser_client.get(url)
    changed = superuser_client.post(
        url, {"patient_name": "Changed Name", "status": "cancelled", "_save": "Save"}
    )
    deleted = superuser_client.post(f"/admin/intake/intake/{intake.pk}/delete/", {"post": "yes"})
    bulk = superuser_client.post(
        "/admin/intake/intake/",
        {"action": "delete_selected", "_selected_action": [str(intake.pk)], "post": "yes"},
    )

    assert form.status_code == 200
    assert b'name="patient_name"' not in form.content
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert b"delete_selected" not in superuser_client.get("/admin/intake/intake/").content
    assert bulk.status_code in (200, 302)
    intake.refresh_from_db()
    assert (intake.patient_name, intake.status) == ("Robin Testperson", "invited")
    assert AuditEvent.objects.filter(intake_id=intake.pk).count() == 1  # the invitation only
