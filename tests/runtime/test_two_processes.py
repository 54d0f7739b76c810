"""Two gunicorn processes and a task worker sharing one PostgreSQL and one Redis are one service.

Runs on PostgreSQL (as `.ci/run`'s PostgreSQL pass does), with a Redis of each test's own
(redis-server on a free port); skipped on SQLite, which several servers cannot share.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import requests
from django.db import connection, transaction

from intake import services
from intake.models import AuditEvent, Intake, Response

from . import gunicorn_process as gunicorn
from . import worker_process

# One worker at a time (pytest-xdist): the gunicorns take free ports that another test's servers
# must not be probing for at once.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servers")]


@pytest.fixture
def servers(service_env):
    started = [gunicorn.start(service_env) for _ in range(2)]
    try:
        for process, url in started:
            gunicorn.wait_until_up(process, url)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            if process.poll() is None:
                gunicorn.stop(process)


@pytest.fixture
def invitation(questionnaires):
    return services.create_invitation(patient_name="Two Servers", date_of_birth=date(1970, 5, 5))


def _csrf(session: requests.Session, page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _post(session, url, data, page_url):
    page = session.get(page_url)
    return session.post(
        url,
        data={**data, "csrfmiddlewaretoken": _csrf(session, page.text)},
        headers={"Referer": page_url},
        allow_redirects=False,
    )


def _open(session: requests.Session, base: str, token: str) -> None:
    assert session.get(f"{base}/i/{token}/").url.endswith("/patient/verify/")
    verified = _post(
        session,
        f"{base}/patient/verify/",
        {"day": "5", "month": "5", "year": "1970"},
        f"{base}/patient/verify/",
    )
    assert verified.status_code == 302


def test_a_patient_saves_on_one_process_and_continues_on_the_other(servers, invitation):
    first, second = servers
    patient = requests.Session()
    _open(patient, first, invitation.token)
    saved = _post(
        patient,
        f"{first}/patient/step/1/",
        {"revision": 0, "action": "next", "areas": ["shin_left"]},
        f"{first}/patient/step/1/",
    )
    assert saved.headers["Location"] == "/patient/step/2/"
    # The same browser session, now answered by the other process.
    start = patient.get(f"{second}/patient/").text
    assert "Continue where you left off" in start
    page = patient.get(f"{second}/patient/step/1/").text
    assert 'value="shin_left" checked' in page
    _post(
        patient,
        f"{second}/patient/step/2/",
        {"revision": 1, "action": "next", "how_often": "daily"},
        f"{second}/patient/step/2/",
    )
    twitch = Response.objects.get(
        intake=invitation.intake, questionnaire_version__slug="twitch_history"
    )
    assert twitch.answers == {"areas": ["shin_left"], "how_often": "daily"}


def test_a_submit_racing_on_both_processes_records_one_submission(servers, invitation):
    patient = requests.Session()
    _open(patient, servers[0], invitation.token)
    token = _csrf(patient, patient.get(f"{servers[0]}/patient/review/").text)

    def submit(base):
        return patient.post(
            f"{base}/patient/submit/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/patient/review/"},
            allow_redirects=False,
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(submit, servers * 4))
    assert set(codes) == {302}
    assert Intake.objects.get(pk=invitation.intake.pk).status == "submitted"
    assert (
        AuditEvent.objects.filter(action="intake_submitted", intake_id=invitation.intake.pk).count()
        == 1
    )


def test_rate_limits_count_across_both_processes(servers, invitation):
    guesser = requests.Session()
    for attempt in range(20):
        base = servers[attempt % 2]
        assert guesser.get(f"{base}/i/guess-{attempt}/").status_code == 404
    for base in servers:
        assert guesser.get(f"{base}/i/{invitation.token}/").status_code == 429


@pytest.fixture
def worker(service_env, start_worker, tmp_path):
    log = tmp_path / "worker.log"
    process = start_worker(service_env, log, "only")
    worker_process.wait_for(log, " ready.", process)
    return process, log


def _log(log: Path) -> str:
    """The worker's log, for an assertion's message: a failure shows what the worker did."""
    return f"worker log {log.name}:\n{log.read_text(errors='replace')}"


def _submit(base: str, token: str) -> None:
    patient = requests.Session()
    _open(patient, base, token)
    review = patient.get(f"{base}/patient/review/").text
    sent = patient.post(
        f"{base}/patient/submit/",
        data={"csrfmiddlewaretoken": _csrf(patient, review)},
        headers={"Referer": f"{base}/patient/review/"},
        allow_redirects=False,
    )
    assert sent.status_code == 302


def _kept(intake_id, log: Path, seconds: float = 60) -> Intake:
    """Wait until the intake's PDF is recorded as kept; return the intake."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        intake = Intake.objects.get(pk=intake_id)
        if intake.summary_pdf_sha256:
            return intake
        time.sleep(0.2)
    raise AssertionError(f"no PDF kept within {seconds} s; {_log(log)}")


def _sign_in(base: str) -> requests.Session:
    staff = requests.Session()
    signed_in = _post(
        staff,
        f"{base}/accounts/login/",
        {"username": "clinician", "password": "correct-horse-battery"},
        f"{base}/accounts/login/",
    )
    assert signed_in.status_code == 302
    return staff


def test_the_worker_keeps_the_pdf_at_submission_and_the_other_process_serves_it(
    servers, worker, invitation, clinician, settings
):
    # The servers check passwords with Django's own hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    clinician.set_password("correct-horse-battery")
    clinician.save()
    first, second = servers
    process, log = worker
    _submit(first, invitation.token)
    intake = _kept(invitation.intake.pk, log)
    # Kept by the worker, before any download: the task ran there and rendered it.
    worker_process.wait_for(log, "render_summary_pdf[", process)
    worker_process.wait_for(log, "succeeded in", process)
    assert "Two Servers" not in log.read_text(), _log(log)
    with intake.summary_pdf.open("rb") as kept:
        stored = kept.read()
    assert hashlib.sha256(stored).hexdigest() == intake.summary_pdf_sha256, _log(log)

    download = _sign_in(second).get(f"{second}/clinic/intakes/{intake.pk}/summary.pdf")
    assert download.status_code == 200, _log(log)
    assert download.content == stored, _log(log)
    # The worker wrote no audit event: the submission, then the download.
    events = AuditEvent.objects.filter(intake_id=intake.pk).order_by("id")
    assert list(events.values_list("action", flat=True))[-2:] == [
        "intake_submitted",
        "pdf_downloaded",
    ], _log(log)


def _wait_until_the_worker_waits_for_the_lock(log: Path, worker, seconds: float = 60) -> None:
    """Wait until a database session is blocked by this test's: the worker waits for the row."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and worker.poll() is None:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # see other sessions anew
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.2)
    raise AssertionError(f"no worker came to wait for the intake's lock; {_log(log)}")


@contextmanager
def _a_worker_waiting_for_the_lock(start_worker, env, log: Path, name: str, intake_id):
    """Hold the intake's row and start a worker; yield it once its task waits for that row.

    The task is queued already: the worker takes it as soon as it is ready, renders the PDF,
    then waits to keep it until the block ends and the row is released.
    """
    with transaction.atomic():
        Intake.objects.select_for_update().get(pk=intake_id)
        worker = start_worker(env, log, name)
        worker_process.wait_for(log, " ready.", worker)
        worker_process.wait_for(log, "render_summary_pdf[", worker)  # received
        _wait_until_the_worker_waits_for_the_lock(log, worker)
        yield worker


def test_a_worker_killed_mid_task_leaves_the_task_to_the_next_worker(
    servers, service_env, start_worker, invitation, tmp_path
):
    # Handed out again 10 s after the lost worker took it (in production, 15 minutes).
    env = {**service_env, "TASK_TIME_LIMIT_SECONDS": "8", "TASK_REDELIVER_SECONDS": "10"}
    _submit(servers[0], invitation.token)  # queued; no worker is running yet
    lost_log, next_log = tmp_path / "lost.log", tmp_path / "next.log"
    # The worker renders the PDF, then waits for the row to keep it: killed there, mid-task,
    # before it acknowledged anything.
    with _a_worker_waiting_for_the_lock(
        start_worker, env, lost_log, "lost", invitation.intake.pk
    ) as lost:
        worker_process.kill(lost)
    assert "render_summary_pdf[" in lost_log.read_text(), _log(lost_log)
    assert "succeeded" not in lost_log.read_text(), _log(lost_log)
    assert not Intake.objects.get(pk=invitation.intake.pk).summary_pdf_sha256, _log(lost_log)

    following = start_worker(env, next_log, "next")
    intake = _kept(invitation.intake.pk, next_log, seconds=90)
    worker_process.wait_for(next_log, "succeeded in", following)
    with intake.summary_pdf.open("rb") as kept:
        assert hashlib.sha256(kept.read()).hexdigest() == intake.summary_pdf_sha256, _log(next_log)


def test_a_task_whose_pool_process_died_runs_again_at_once(
    servers, service_env, start_worker, invitation, tmp_path
):
    _submit(servers[0], invitation.token)
    log = tmp_path / "worker.log"
    with _a_worker_waiting_for_the_lock(
        start_worker, service_env, log, "pool", invitation.intake.pk
    ) as worker:
        # The process running the task dies (out of memory, say); the worker itself lives on.
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        assert len(children) == 1, f"pool processes {children}; {_log(log)}"
        os.kill(int(children[0]), signal.SIGKILL)
        worker_process.wait_for(log, "WorkerLostError", worker)
    # Not acknowledged, so handed out again at once (not after TASK_REDELIVER_SECONDS).
    intake = _kept(invitation.intake.pk, log, seconds=60)
    worker_process.wait_for(log, "succeeded in", worker)
    with intake.summary_pdf.open("rb") as kept:
        assert hashlib.sha256(kept.read()).hexdigest() == intake.summary_pdf_sha256, _log(log)
