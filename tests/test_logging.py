"""The log filter every handler has: no link token and no searched name in a message."""

from __future__ import annotations

import logging

from intake.logging import RedactTokens


def test_a_development_server_request_line_loses_the_searched_name_but_keeps_the_codes():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /clinic/?q=Robin+Testperson&status=invited&page=3 HTTP/1.1", "200", "5120"),
        None,
    )
    RedactTokens().filter(record)
    assert record.getMessage() == (
        '"GET /clinic/?q=[redacted]&status=invited&page=3 HTTP/1.1" 200 5120'
    )


def test_a_failed_or_retried_task_is_logged_without_its_error_message():
    from celery.app.trace import LOG_FAILURE, LOG_RETRY

    from intake.logging import WithholdExceptionText

    error = ValueError("Robin Testperson answered: twitching in the left calf")
    retried = logging.LogRecord(
        "celery.app.trace", logging.INFO, __file__, 1, LOG_RETRY, None, None
    )
    retried.args = {"id": "1", "name": "render", "exc": f"Retry in 5s: {error!r}"}
    failed = logging.LogRecord(
        "celery.app.trace", logging.ERROR, __file__, 1, LOG_FAILURE, None, None
    )
    failed.args = {"id": "1", "name": "render", "description": "raised unexpected", "exc": error}
    for record in (retried, failed):
        WithholdExceptionText().filter(record)
    assert retried.getMessage() == "Task render[1] retry: Retry in 5s: [message withheld]"
    assert failed.getMessage() == (
        "Task render[1] raised unexpected: builtins.ValueError: [message withheld]"
    )
