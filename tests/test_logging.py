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
