"""The summary's task: render and keep a submitted intake's PDF, so the first download is quick.

Queued when a submission commits (services.submit_intake). It takes the intake's id only, and
does what a first download would do (service.keep_summary_pdf): running it twice, or after a
download kept the PDF, changes nothing. A worker lost mid-task leaves it to run again
(acks_late); until it has run, a download renders the PDF itself, as before.
"""

from __future__ import annotations

import logging
from uuid import UUID

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ..outages import describe
from .service import keep_summary_pdf

log = logging.getLogger(__name__)

# A full disk, an unreachable database or private folder: worth trying again a little later.
RETRIED = (OSError, OperationalError, InterfaceError)


@shared_task(
    bind=True,
    max_retries=8,  # over about 20 minutes, with the backoff below
    autoretry_for=RETRIED,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,  # a render takes about a second; a hostile answer cannot hold a worker
    time_limit=90,
)
def render_summary_pdf(self, intake_id: str) -> bool:
    """Render and keep the summary PDF of a submitted intake; return whether it rendered one."""
    return keep_summary_pdf(UUID(intake_id))


def queue_summary_pdf(intake_id: UUID) -> None:
    """Ask a worker for the intake's PDF; if the queue cannot take it, a download renders it.

    Called once the submission has committed: the submission stands whatever happens here.
    """
    try:
        render_summary_pdf.delay(str(intake_id))
    except Exception as error:  # noqa: BLE001 - a Redis outage, or an in-process render failing
        log.warning("Summary PDF not prepared at submission (%s)", describe(error))
