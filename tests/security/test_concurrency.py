"""Many writers at once lose no answer, submit once, and never change a submitted response.

PostgreSQL only: SQLite (transaction_mode IMMEDIATE) runs one writer at a time, so nothing there
races. Real threads, each with its own database connection, as app servers would have.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import AuditEvent, Intake, Response

pytestmark = [
    # The flush after each test empties the staff groups; fixtures recreate them (ensure_roles).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
    ),
]

WORKERS = 24  # the medicines group holds up to 30 entries
RETRIES = WORKERS + 5  # each conflict means another worker finished: WORKERS - 1 at most


def in_threads(work: Callable, arguments: list) -> list:
    """Run work(argument) for each argument in its own thread, all released together.

    Return the results, or the exception each raised, in order.
    """
    start = threading.Barrier(len(arguments))

    def one(argument):
        try:
            start.wait(timeout=30)
            return work(argument)
        except Exception as error:  # noqa: BLE001 - the caller checks which ones were expected
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(one, arguments))


def invite(name: str = "Robin Testperson") -> services.Invitation:
    return services.create_invitation(patient_name=name, date_of_birth=date(1975, 6, 30))


def medicine(number: int) -> dict:
    return {
        "_id": f"worker{number:04d}",
        "medicine_name": f"Medicine {number}",
        "medicine_how_often": "once_daily",
    }


def medications_of(invitation: services.Invitation) -> Response:
    return Response.objects.select_related("intake", "questionnaire_version").get(
        intake=invitation.intake, questionnaire_version__slug="medications"
    )


def add_medicine_with_retries(invitation: services.Invitation, number: int) -> int:
    """Read the answers, add one medicine, save; on a conflict read again. Return the tries."""
    for attempt in range(1, RETRIES + 1):
        response = medications_of(invitation)
        answers = dict(response.answers) or {"takes_medicines": "yes", "medicines": []}
        answers["medicines"] = [*answers["medicines"], medicine(number)]
        try:
            services.save_answers(response=response, answers=answers, revision=response.revision)
        except services.RevisionConflict:
            continue
        return attempt
    raise AssertionError(f"worker {number} still conflicted after {RETRIES} tries")


def fill_all(invitation: services.Invitation) -> None:
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response,
            answers=DEMO_ANSWERS[response.questionnaire_version.slug],
            revision=response.revision,
        )


def test_parallel_saves_to_one_response_lose_no_answer(questionnaires):
    invitation = invite()
    results = in_threads(
        lambda number: add_medicine_with_retries(invitation, number), list(range(WORKERS))
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert max(results) > 1, "no save conflicted: the workers did not run at the same time"
    stored = medications_of(invitation)
    names = sorted(entry["medicine_name"] for entry in stored.answers["medicines"])
    assert names == sorted(f"Medicine {number}" for number in range(WORKERS))
    assert stored.revision == WORKERS
    saved = AuditEvent.objects.filter(intake_id=invitation.intake.pk, action="answers_saved")
    assert saved.count() == WORKERS


def test_parallel_saves_to_different_responses_all_succeed_at_once(questionnaires):
    invitations = [invite(f"Patient {n}") for n in range(WORKERS // 4)]
    responses = [
        response
        for invitation in invitations
        for response in invitation.intake.responses.select_related(
            "intake", "questionnaire_version"
        )
    ]
    assert len(responses) >= 20

    def save(response):
        slug = response.questionnaire_version.slug
        saved, _ = services.save_answers(response=response, answers=DEMO_ANSWERS[slug], revision=0)
        return saved.revision

    results = in_threads(save, responses)
    assert results == [1] * len(responses), results
    for response in Response.objects.select_related("questionnaire_version"):
        assert response.answers == DEMO_ANSWERS[response.questionnaire_version.slug]
        assert response.revision == 1
    assert set(Intake.objects.values_list("status", flat=True)) == {"in_progress"}


def test_parallel_submits_submit_once(questionnaires):
    invitation = invite()
    fill_all(invitation)
    results = in_threads(
        lambda _: services.submit_intake(intake=invitation.intake), list(range(WORKERS))
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert {(r.status, r.submitted_at) for r in results} == {
        ("submitted", Intake.objects.get(pk=invitation.intake.pk).submitted_at)
    }
    events = AuditEvent.objects.filter(intake_id=invitation.intake.pk, action="intake_submitted")
    assert events.count() == 1
    submitted_at = set(Response.objects.values_list("submitted_at", flat=True))
    assert len(submitted_at) == 1 and None not in submitted_at


def test_saves_racing_a_submit_never_change_a_submitted_response(questionnaires):
    invitation = invite()
    fill_all(invitation)
    saves_done, lock = [0], threading.Lock()
    some_saved = threading.Event()  # submits start once saves are under way, then race them

    def work(number: int):
        if number % 4 == 0:
            assert some_saved.wait(timeout=30)
            return services.submit_intake(intake=invitation.intake)
        tries = add_medicine_with_retries(invitation, number)
        with lock:
            saves_done[0] += 1
            if saves_done[0] >= WORKERS // 4:
                some_saved.set()
        return tries

    try:
        results = in_threads(work, list(range(WORKERS)))
    finally:
        some_saved.set()
    kinds = Counter(type(result).__name__ for result in results)
    assert set(kinds) <= {"Intake", "int", "IntakeClosed"}, results
    intake = Intake.objects.get(pk=invitation.intake.pk)
    assert intake.status == "submitted"
    assert AuditEvent.objects.filter(intake_id=intake.pk, action="intake_submitted").count() == 1
    for response in Response.objects.filter(intake=intake):
        # What was hashed at submission is what is stored: no save landed after the freeze.
        assert response.submitted_at == intake.submitted_at
        assert response.answers_sha256 == services.answers_digest(response.answers), (
            response.questionnaire_version.slug
        )
    # Every save that reported success is in the stored answers; the refused ones are not.
    stored = {e["_id"] for e in medications_of(invitation).answers["medicines"]}
    succeeded = {medicine(n)["_id"] for n, r in enumerate(results) if isinstance(r, int)}
    assert stored - {m["_id"] for m in DEMO_ANSWERS["medications"]["medicines"]} == succeeded
    # and the submitted response refuses any later save.
    with pytest.raises(services.IntakeClosed):
        add_medicine_with_retries(invitation, WORKERS + 1)


def test_parallel_api_saves_through_the_client_lose_no_answer(questionnaires, monkeypatch):
    """The same race through the API and the request cycle: 409 with the latest, retry."""
    from intake.api import authentication

    monkeypatch.setattr(authentication, "CALLS_PER_MINUTE", 10_000)
    invitation = invite()
    headers = {
        "X-Intake-Token": invitation.token,
        "X-Intake-Birth-Date": "1975-06-30",
        "X-Intake-Device": "concurrency-phone-" + "k" * 30,
    }
    url = "/api/v1/patient/responses/medications/"

    def work(number: int) -> int:
        client = Client(headers=headers)
        current = client.get("/api/v1/patient/intake/").json()["questionnaires"][-1]
        revision, answers = current["revision"], current["answers"]
        for attempt in range(1, RETRIES + 1):
            answers = dict(answers) or {"takes_medicines": "yes", "medicines": []}
            answers["medicines"] = [*answers["medicines"], medicine(number)]
            saved = client.put(
                url, {"revision": revision, "answers": answers}, content_type="application/json"
            )
            if saved.status_code == 200:
                return attempt
            assert saved.status_code == 409, saved.content
            revision, answers = saved.json()["revision"], saved.json()["answers"]
        raise AssertionError(f"worker {number} still conflicted after {RETRIES} tries")

    results = in_threads(work, list(range(WORKERS)))
    assert not [r for r in results if isinstance(r, BaseException)], results
    stored = medications_of(invitation)
    assert sorted(e["medicine_name"] for e in stored.answers["medicines"]) == sorted(
        f"Medicine {number}" for number in range(WORKERS)
    )
    assert stored.revision == WORKERS
