"""The API's JSON parser: DRF's, refusing nesting deeper than any payload of ours needs."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Answers nest a repeating group's entries a few levels deep; nothing needs more than this.
MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - the data is nested more than {MAX_DEPTH} levels deep."


class JSONParser(parsers.JSONParser):
    """Parse JSON; refuse deep nesting with 400 before anything walks it.

    Python's decoder gives up about 1,000 levels down with a RecursionError, which DRF does
    not catch (a 500); anything that walks a parsed value recursively fails the same way.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data


def _depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False
