"""Keep invitation tokens out of every log line (request logs name the path they failed on)."""

import logging
import re
import traceback

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


class WithholdExceptionText(logging.Filter):
    """Log where an error happened, never what its message said.

    An exception's message can quote the data that caused it (a database error names the
    value a constraint refused, a ValueError the text it could not parse): in a form that
    collects health history that may be an answer. The traceback's frames stay; each
    exception's message (and any it was raised from) becomes its type alone.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = withheld_traceback(record.exc_info[1])
            record.exc_info = None
        return True


def withheld_traceback(error: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = type(error)
        frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        parts.append(
            f"Traceback (most recent call last):\n{frames}"
            f"{kind.__module__}.{kind.__qualname__}: [message withheld]"
        )
        error = error.__cause__ or error.__context__
    return "\n\nwhich was raised while handling:\n".join(parts)
