"""Keep invitation tokens out of every log line (request logs name the path they failed on)."""

import logging
import re

TOKEN_PATH = re.compile(r"/i/[^/\s\"']+")


def redact(text: str) -> str:
    return TOKEN_PATH.sub("/i/[redacted]", text)


class RedactTokens(logging.Filter):
    """Rewrite a record's message so that a link's token never reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
