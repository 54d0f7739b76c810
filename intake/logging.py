"""Keep invitation tokens and searched names out of every log line, request logs included."""

import logging
import re
import traceback
from urllib.parse import unquote_plus

TOKEN_PATH = re.compile(r"/i/[^/\s\"']+")
QUERY = re.compile(r"\?([^\s\"'#]*)")
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,30}")
# Query parameters whose values are codes or numbers, never a name or anything a person typed.
# Every other value (a search `q`, a login's `next` URL, anything unknown) is redacted.
SAFE_PARAMETERS = frozenset({"status", "page", "page_size", "version", "format"})


def redact(text: str) -> str:
    """Return `text` with link tokens and every query value that could hold a name redacted."""
    text = TOKEN_PATH.sub("/i/[redacted]", text)
    return QUERY.sub(lambda found: "?" + redact_query(found.group(1)), text)


def redact_query(query: str) -> str:
    """Return a query string with the value of every parameter not known to be safe redacted."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if unquote_plus(name) in SAFE_PARAMETERS:
            parts.append(part)
        elif PARAMETER_NAME.fullmatch(name):
            parts.append(f"{name}=[redacted]" if value else name)
        elif part:
            parts.append("[redacted]")
    return "&".join(parts)


class RedactTokens(logging.Filter):
    """Rewrite a record's message so that a link's token or a searched name never reaches a
    handler."""

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
        if isinstance(record.args, dict) and "exc" in record.args:
            # Celery's lines for a failed or retried task quote the error in the line itself.
            record.args = {**record.args, "exc": _withheld_error(record.args["exc"])}
        return True


def _withheld_error(error: object) -> str:
    if isinstance(error, BaseException):
        return f"{type(error).__module__}.{type(error).__qualname__}: [message withheld]"
    when = str(error).split(":", 1)[0]  # "Retry in 5s: OSError(...)" keeps "Retry in 5s"
    return f"{when}: [message withheld]"


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
