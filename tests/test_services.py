"""The intake lifecycle: invitation, saving with revisions, submission, cancel and re-issue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake import services
from intake.catalog import store_definitions
from intake.models import AuditEvent, ImmutableRecord, Intake, Response
from intake.questionnaires.loader import load_text
from intake.tokens import hash_token

pytestmark = pytest.mark.django_db

TINY = """\
id: tiny
title: Tiny
sections:
  - id: only
    title: Only page
    items:
      - {id: pain, type: scale, text: Pain now, min_label: None, max_label: Worst, required: true}
      - {id: surgery, type: yes_no, text: Any surgery, required: true}
      - id: which
        type: text
        text: Which surgery
        required: true
        show_if: {item: surgery, equals: "yes"}
      - {id: nights, type: integer, text: Nights with cramps, min: 0, max: 7}
"""


@pytest.fixture
def tiny(db):
    store_definitions([load_text(TINY, file="tiny.yaml")])


@pytest.fixture
def invitation(tiny):
    return services.create_invitation(
        patient_name=" Robin Testperson ", date_of_birth=None, questionnaire_slugs=["tiny"]
    )


@pytest.fixture
def response(invitation):
    return invitation.intake.responses.select_related("intake", "questionnaire_version").get()


def save(response, answers, revision=None, **kwargs):
    revision = response.revision if revision is None else revision
    return services.save_answers(response=response, answers=answers, revision=revision, **kwargs)


def test_invitation_token_is_shown_once_and_only_its_hash_is_stored(invitation):
    intake = Intake.objects.get(pk=invitation.intake.pk)
    assert len(invitation.token) >= 43  # 256 random bits, URL-safe
    assert intake.token_hash == hash_token(invitation.token)
    stored = [str(getattr(intake, f.attname)) for f in Intake._meta.fields]
    assert not any(invitation.token in value for value in stored)
    assert invitation.link == f"https://intake.example.test/i/{invitation.token}/"
    assert intake.patient_name == "Robin Testperson"
    assert services.intake_for_token(invitation.token) == intake
    assert services.intake_for_token(invitation.token + "x") is None


def test_invitation_pins_the_current_versions_in_the_clinics_order(questionnaires):
    invitation = services.create_invitation(patient_name="Robin", date_of_birth=None)
    slugs = [r.questionnaire_version.slug for r in invitation.intake.responses.all()]
    assert slugs == [
        "twitch_history",
        "back_injury",
        "surgeries",
        "medications",
        "health_background",
    ]
    event = AuditEvent.objects.get(intake_id=invitation.intake.pk)
    assert event.action == AuditEvent.Action.INVITATION_CREATED
    assert invitation.token not in str(event.detail)


def test_invitation_for_an_unknown_questionnaire_is_refused(tiny):
    with pytest.raises(services.UnknownQuestionnaire, match="nope"):
        services.create_invitation(
            patient_name="Robin", date_of_birth=None, questionnaire_slugs=["tiny", "nope"]
        )


def test_saving_stores_cleaned_answers_and_moves_the_revision_on(response):
    saved, cleaned = save(response, {"pain": "4", "surgery": "no"})
    assert cleaned.is_valid
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers == {"pain": 4, "surgery": "no"}
    assert stored.revision == 1 == saved.revision
    assert stored.intake.status == Intake.Status.IN_PROGRESS


def test_an_answer_to_a_question_not_asked_is_refused_by_name_and_nothing_is_stored(response):
    with pytest.raises(services.AnswersInvalid) as invalid:
        save(response, {"pain": "4", "surgery": "no", "which": "knee"})
    assert invalid.value.errors == {
        "which": "You answered this, but it is only asked if you answered “Yes” to “Any surgery”. "
        "Clear this answer or change that one; or press Next again to leave it out."
    }
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers == {} and stored.revision == 0


def test_a_stored_answer_to_a_question_now_not_asked_is_not_kept_by_a_partial_save(response):
    save(response, {"pain": "4", "surgery": "yes", "which": "Knee"})
    _, cleaned = save(
        response, {"surgery": "no", "which": "Knee"}, keep_valid=True, report_unasked={"only"}
    )
    assert list(cleaned.unasked) == ["which"]
    assert Response.objects.get(pk=response.pk).answers == {"surgery": "no"}


def test_a_stale_revision_is_refused_with_the_current_answers(response):
    save(response, {"pain": 3}, revision=0)
    with pytest.raises(services.RevisionConflict) as conflict:
        save(response, {"pain": 9}, revision=0)
    assert conflict.value.revision == 1
    assert conflict.value.answers == {"pain": 3}
    assert Response.objects.get(pk=response.pk).answers == {"pain": 3}


def test_a_retried_save_that_already_committed_succeeds_with_the_current_revision(response):
    save(response, {"pain": 3, "surgery": "no"}, revision=0)
    # The reply to that save was lost; the caller sends it again, still reading revision 0.
    retried, cleaned = save(response, {"pain": "3", "surgery": "no"}, revision=0)
    assert cleaned.is_valid
    assert retried.revision == 1
    stored = Response.objects.get(pk=response.pk)
    assert (stored.revision, stored.answers) == (1, {"pain": 3, "surgery": "no"})


def test_invalid_answers_refuse_the_whole_save(response):
    save(response, {"pain": 3})
    with pytest.raises(services.AnswersInvalid) as invalid:
        save(response, {"pain": 5, "nights": 9})
    assert invalid.value.errors == {"nights": "Enter a whole number from 0 to 7."}
    assert Response.objects.get(pk=response.pk).answers == {"pain": 3}


def test_keep_valid_stores_the_valid_answers_and_keeps_the_stored_value_of_an_invalid_one(
    response,
):
    save(response, {"pain": 3, "nights": 2})
    _, cleaned = save(response, {"pain": 5, "nights": "lots"}, keep_valid=True)
    assert cleaned.errors == {"nights": "Enter a whole number from 0 to 7."}
    assert Response.objects.get(pk=response.pk).answers == {"pain": 5, "nights": 2}


def test_submit_refuses_while_required_answers_are_missing(response):
    save(response, {"pain": 3, "surgery": "yes"})
    with pytest.raises(services.IntakeIncomplete) as incomplete:
        services.submit_intake(intake=response.intake)
    assert incomplete.value.missing == {"tiny": ["which"]}
    assert Intake.objects.get(pk=response.intake.pk).status == Intake.Status.IN_PROGRESS


def test_submit_freezes_answers_once_and_a_second_submit_changes_nothing(response):
    save(response, {"pain": 3, "surgery": "yes", "which": "Knee, 2015"})
    first = services.submit_intake(intake=response.intake)
    again = services.submit_intake(intake=response.intake)
    stored = Response.objects.get(pk=response.pk)
    assert first.status == again.status == Intake.Status.SUBMITTED
    assert again.submitted_at == first.submitted_at
    assert stored.submitted_at == first.submitted_at
    assert stored.answers_sha256 == services.answers_digest(
        {"pain": 3, "surgery": "yes", "which": "Knee, 2015"}
    )
    submitted_events = AuditEvent.objects.filter(action=AuditEvent.Action.INTAKE_SUBMITTED)
    assert submitted_events.count() == 1


def test_submitted_answers_refuse_change_by_service_and_by_model_save(response):
    save(response, {"pain": 3, "surgery": "no"})
    services.submit_intake(intake=response.intake)
    response.refresh_from_db()
    response.intake.refresh_from_db()
    with pytest.raises(services.IntakeClosed, match="submitted"):
        save(response, {"pain": 9, "surgery": "no"})
    response.answers = {"pain": 9}
    with pytest.raises(ImmutableRecord):
        response.save()
    assert Response.objects.get(pk=response.pk).answers == {"pain": 3, "surgery": "no"}


def test_an_expired_or_cancelled_intake_takes_no_answers(response, clinician):
    intake = response.intake
    Intake.objects.filter(pk=intake.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    intake.refresh_from_db()
    assert intake.effective_status == "expired"
    with pytest.raises(services.IntakeClosed, match="expired"):
        save(response, {"pain": 1})
    Intake.objects.filter(pk=intake.pk).update(expires_at=timezone.now() + timedelta(days=1))
    intake.refresh_from_db()
    services.cancel_invitation(intake=intake, by=clinician)
    intake.refresh_from_db()
    with pytest.raises(services.IntakeClosed, match="cancelled"):
        save(response, {"pain": 1})
    with pytest.raises(services.IntakeClosed):
        services.submit_intake(intake=intake)


def test_reissue_gives_a_new_link_and_the_old_one_stops_working(invitation, clinician):
    fresh = services.reissue_invitation(intake=invitation.intake, by=clinician)
    assert fresh.token != invitation.token
    assert services.intake_for_token(invitation.token) is None
    assert services.intake_for_token(fresh.token) == invitation.intake


def test_a_submitted_intake_cannot_be_cancelled(response, clinician):
    save(response, {"pain": 0, "surgery": "no"})
    services.submit_intake(intake=response.intake)
    with pytest.raises(services.IntakeClosed):
        services.cancel_invitation(intake=response.intake, by=clinician)


def test_audit_events_cannot_be_changed_or_deleted(response):
    save(response, {"pain": 3})
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ANSWERS_SAVED).get()
    assert event.actor_label == "patient"
    assert event.detail == {"questionnaire": "tiny", "revision": 1}
    event.action = AuditEvent.Action.SIGNED_IN
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()
