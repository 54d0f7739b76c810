"""What happened to an intake's link and answers after it was first sent: plain facts only.

A re-issued link could have been opened by someone other than the patient, so the clinician is
told when each re-issue happened, who did it, which questionnaires were saved after it, and
which were answered again from another device (with the answers they replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import AuditEvent, EarlierAnswers, Intake
from .builder import AnsweredQuestionnaire, QuestionnaireSummary, build_summary

Action = AuditEvent.Action


@dataclass(frozen=True)
class Reissue:
    """One re-issue of the link, and the questionnaires whose answers changed after it."""

    at: datetime
    by: str
    changed: list[str]
    answered_again: list[str]


@dataclass(frozen=True)
class ReplacedAnswers:
    """Answers a patient replaced by answering a questionnaire again from another device."""

    replaced_at: datetime
    summary: QuestionnaireSummary


def reissues(intake: Intake, titles: dict[str, str]) -> list[Reissue]:
    """Return each re-issue of the intake's link, oldest first (none: one small query)."""
    events = list(
        AuditEvent.objects.filter(intake_id=intake.pk, action=Action.INVITATION_REISSUED)
        .order_by("created_at", "id")
        .values_list("created_at", "actor_label")
    )
    if not events:
        return []
    later = list(
        AuditEvent.objects.filter(
            intake_id=intake.pk,
            action__in=(Action.ANSWERS_SAVED, Action.ANSWERS_RESTARTED),
            created_at__gte=events[0][0],
        )
        .order_by("created_at", "id")
        .values_list("created_at", "action", "detail")
    )
    found = []
    for at, by in events:
        changed, again = [], []
        for when, action, detail in later:
            title = titles.get(detail.get("questionnaire", ""), detail.get("questionnaire", ""))
            names = again if action == Action.ANSWERS_RESTARTED else changed
            if when >= at and title not in names:
                names.append(title)
        found.append(Reissue(at, by or "unknown", changed, again))
    return found


def replaced_answers(responses) -> list[ReplacedAnswers]:
    """Return the answers replaced from another device, for the questionnaires given."""
    by_pk = {response.pk: response for response in responses}
    replaced = []
    for earlier in EarlierAnswers.objects.filter(response__in=list(by_pk)).order_by(
        "response__position", "replaced_at"
    ):
        version = by_pk[earlier.response_id].questionnaire_version
        answered = AnsweredQuestionnaire(
            version.slug, version.version, version.questionnaire, earlier.answers
        )
        replaced.append(
            ReplacedAnswers(earlier.replaced_at, build_summary([answered]).questionnaires[0])
        )
    return replaced
