"""The bulk CSV export streams: its peak memory does not grow with the number of intakes.

Runs on PostgreSQL (server-side cursor, as in production); skipped on SQLite. `make bench`
prints the same figure at 1,000 and 100,000 intakes.
"""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest
from django.db import connection

from intake import catalog, services
from intake.demo import DEMO_ANSWERS
from intake.interop import exports
from intake.models import Intake, Response

pytestmark = pytest.mark.django_db
EXPIRES = datetime(2027, 1, 1, tzinfo=UTC)


def add_submitted_intakes(count: int) -> None:
    version = catalog.current_versions(["medications"])[0]
    answers = DEMO_ANSWERS["medications"]
    intakes = Intake.objects.bulk_create(
        Intake(patient_name=f"Filler Person {n}", token_hash=f"{n:064x}", expires_at=EXPIRES)
        for n in range(Intake.objects.count(), Intake.objects.count() + count)
    )
    Response.objects.bulk_create(
        Response(
            intake=intake,
            questionnaire_version=version,
            position=0,
            answers=answers,
            answers_sha256=services.answers_digest(answers),
        )
        for intake in intakes
    )


def export_peak() -> tuple[int, int]:
    """Return (rows, peak bytes) of streaming the whole bulk export."""
    responses = exports.responses_for_export(submitted_from=None, submitted_to=None, status="all")
    rows = 0
    tracemalloc.start()
    try:
        for chunk in exports.csv_lines(responses):
            rows += chunk.count("\n")
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_exporting_six_times_more_intakes_takes_no_more_memory(questionnaires, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    add_submitted_intakes(2 * exports.CHUNK_SIZE)
    small_rows, small_peak = export_peak()
    add_submitted_intakes(10 * exports.CHUNK_SIZE)
    large_rows, large_peak = export_peak()
    assert large_rows > 5 * small_rows
    assert large_peak < 1.25 * small_peak, (small_peak, large_peak)
