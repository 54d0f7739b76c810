"""`make bench`'s worker part: the first PDF download after submission, with and without a worker.

Without a worker the clinician's first download renders the PDF (and keeps it); with one, the
worker has rendered and kept it when the submission committed, and the download reads it from
storage. Both are timed through the same download view, on intakes with the demo answers.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.test import Client

from intake import celery_app, services
from intake.models import Intake
from tests.runtime import worker_process


def worker_figures(redis_url: str, answered: Callable[[], Intake], staff, runs: int = 8) -> list:
    """Time first downloads without a worker, then with one; return the bench rows."""
    redis.Redis.from_url(redis_url).flushdb()
    # This process queues tasks on Redis from here on, as a web server with REDIS_URL does.
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    celery_app._after_fork()
    client = Client()
    client.force_login(staff)
    without = [_first_download(client, _submitted(answered)) for _ in range(runs)]
    redis.Redis.from_url(redis_url).flushdb()  # their tasks, queued with no worker to run them
    log = Path("build/bench-worker.log")
    log.unlink(missing_ok=True)
    worker = worker_process.start({"REDIS_URL": redis_url}, log, "bench")
    waits, with_worker = [], []
    try:
        worker_process.wait_for(log, " ready.", worker)
        for _ in range(runs):
            submitted = time.perf_counter()
            intake = _submitted(answered)
            _wait_until_kept(intake)
            waits.append(time.perf_counter() - submitted)
            with_worker.append(_first_download(client, intake))
    finally:
        worker_process.stop(worker)
    served, rendered = statistics.median(with_worker), statistics.median(without)
    return [
        {
            "figure": f"PDF: first download after submission, kept by a worker ({runs} runs)",
            "value": round(served * 1000, 2),
            "unit": "ms",
            "baseline": round(rendered * 1000, 1),
            "baseline_label": "first download without a worker (renders)",
            "ratio": round(served / rendered, 4),
        },
        {
            "figure": "PDF: submission to PDF kept by the worker, median",
            "value": round(statistics.median(waits) * 1000, 1),
            "unit": "ms",
            "baseline": round(rendered * 1000, 1),
            "baseline_label": "first download without a worker (renders)",
            "ratio": round(statistics.median(waits) / rendered, 2),
        },
    ]


def _submitted(answered: Callable[[], Intake]) -> Intake:
    return services.submit_intake(intake=answered())  # queued once it commits (autocommit here)


def _wait_until_kept(intake: Intake, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Intake.objects.filter(pk=intake.pk).exclude(summary_pdf_sha256="").exists():
            return
        time.sleep(0.01)
    raise RuntimeError("the worker kept no PDF within a minute; see build/bench-worker.log")


def _first_download(client: Client, intake: Intake) -> float:
    started = time.perf_counter()
    response = client.get(f"/clinic/intakes/{intake.pk}/summary.pdf")
    took = time.perf_counter() - started
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return took
