"""Serve a stored file with HTTP range requests (RFC 9110 §14), so a phone can seek in a video.

Django's FileResponse always sends the whole file. One range per request is served as 206
Partial Content; a range that starts past the end gets 416 with `Content-Range: bytes */size`;
a header that is not a valid single byte range is ignored and the whole file sent (RFC 9110
§14.2 lets a server ignore Range), as is any request carrying If-Range (no validators here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.http import JsonResponse, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 256 * 1024


class Unsatisfiable(Exception):
    """The range asks for bytes the file has not got."""


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return (first, last) byte positions, inclusive; None to send the whole file."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # not a valid range: ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def _read(file, start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_response(request, field_file, *, content_type: str, filename: str, inline: bool):
    """Return the file, or the one range the request asks for; `filename` is ours, not theirs."""
    size = field_file.size
    header = request.headers.get("Range", "")
    try:
        wanted = parse_range(header, size) if header and "If-Range" not in request.headers else None
    except Unsatisfiable:
        detail = f"The range starts past the end of the file ({size} bytes)."
        response = JsonResponse({"code": "range_not_satisfiable", "detail": detail}, status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = end - start + 1 if size else 0
    file = field_file.open("rb")
    response = StreamingHttpResponse(
        _read(file, start, length), status=206 if wanted else 200, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def starts_a_play(request) -> bool:
    """Return whether this request begins playing or fetching the file (not a seek within it)."""
    header = request.headers.get("Range", "").replace(" ", "")
    return not header or header.startswith("bytes=0-")
