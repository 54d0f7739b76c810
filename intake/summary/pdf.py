"""Render summary HTML to PDF with WeasyPrint: the only module that imports it.

WeasyPrint fetches nothing but the app's own static files: every HTML and CSS object gets the
same locked fetcher, which reads files by path from one allow-listed folder, and the poster
frames of patients' videos from private storage, and refuses everything else (http, https,
any other file, data, ...). The template needs no
resource at all; the allow-list is the ceiling, not the plan.

Every PDF is PDF/A-3a (tagged PDF/A-3, level A, the variant agreed for the clinician's reading
and the archive), with a fixed document identifier; data files (the intake's FHIR Bundle) are
attached from bytes in memory, never fetched from a URL.

A structure element of the PDF carries the language of its HTML element (`lang="es"` on the
patient's own words in an English summary), which WeasyPrint 70 does not write by itself: see
`_with_element_languages`.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlparse

import pydyf
from django.conf import settings
from weasyprint import CSS, HTML, Attachment
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from ..media.pdf import is_stored_poster

log = logging.getLogger(__name__)

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static" / "intake").resolve()
STYLESHEET = STATIC_DIR / "pdf.css"
# Tagged PDF/A-3, level A: headings, lists and tables are tagged for screen readers and the
# document keeps its title and language; shared with the FHIR attachment of issue 14.
PDF_VARIANT = "pdf/a-3a"


class SafeFetcher(URLFetcher):
    """Serve files from the app's static folder by path; refuse every other URL."""

    def __init__(self, allowed_dir: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.allowed_dir = allowed_dir

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        if path is None:
            log.warning("PDF renderer refused to fetch a resource")  # never log the URL
            raise URLFetchingError("refused")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def allowed_path(self, url: str) -> Path | None:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parsed.path)).resolve()
        if is_stored_poster(path):  # a patient video's poster frame, and nothing else stored
            return path
        if not path.is_relative_to(self.allowed_dir) or not path.is_file():
            return None
        return path


FETCHER = SafeFetcher()


@dataclass(frozen=True)
class DataFile:
    """A file the PDF carries (PDF/A-3 associated file), given as bytes."""

    name: str
    data: bytes
    mime_type: str
    description: str
    created: datetime
    relationship: str = "Data"


class _InMemoryAttachment(Attachment):
    """An attachment read from bytes, with its own MIME type: no URL, no fetcher involved."""

    def __init__(self, file: DataFile):
        super().__init__(
            string="",
            url_fetcher=FETCHER,
            name=file.name,
            description=file.description,
            created=file.created,
            modified=file.created,
            relationship=file.relationship,
        )
        self.source = _bytes_source(file.data, file.mime_type)


@contextmanager
def _bytes_source(data: bytes, mime_type: str):
    yield BytesIO(data), None, None, mime_type


def pdf_options(files: tuple[DataFile, ...] = (), identifier: bytes | None = None) -> dict:
    """Return the `write_pdf` options every summary uses: the variant, attachments and id."""
    return {
        "pdf_variant": PDF_VARIANT,
        "pdf_identifier": identifier,
        "attachments": [_InMemoryAttachment(file) for file in files],
    }


def _with_element_languages(build_box_tree):
    """Wrap WeasyPrint's structure builder so that an element's `lang` becomes its `/Lang`.

    WeasyPrint 70 writes the document's language (the catalog's /Lang, from `<html lang>`) and
    drops every other `lang` attribute, so a screen reader would read the patient's Spanish as
    English. Nothing in the written file ties a structure element back to its HTML element (no
    /T, /ID or /ActualText; matching the text or counting elements afterwards breaks where a
    cell or a paragraph is split over lines and pages), so a pass over the finished PDF could
    only guess. The builder knows: it is called once per box, with the box and the structure
    element the box's elements go under, and yields the elements made for that box. Each gets
    the box's HTML `lang` unless an element inside already gave it its own; for a box without
    one, WeasyPrint's own generator is returned untouched. The root's language stays the
    catalog's, so a summary with no other `lang` attribute (every English intake) is written
    byte for byte as WeasyPrint alone writes it. A private function: weasyprint is pinned
    below 71, and tests/summary/test_spanish_intake.py fails if this stops working.
    """

    @functools.wraps(build_box_tree)
    def build_with_languages(box, *args):
        structure_elements = build_box_tree(box, *args)
        language = _own_language(box)
        return _in_language(structure_elements, language) if language else structure_elements

    build_with_languages.writes_languages = True
    return build_with_languages


def _in_language(structure_elements, language: str):
    for structure_element in structure_elements:
        if "Lang" not in structure_element:  # an element inside gave it its own
            structure_element["Lang"] = pydyf.String(language)
        yield structure_element


def _own_language(box) -> str:
    """Return the `lang` attribute of a box's HTML element; "" for the root and for none."""
    language = "" if box.element is None else box.element.get("lang", "").strip()
    if language and box.element_tag.split("::")[0] == "html":
        return ""  # the catalog's /Lang already
    return language


if not getattr(weasyprint_tags._build_box_tree, "writes_languages", False):
    # The builder calls itself through this module global, so every level is wrapped.
    weasyprint_tags._build_box_tree = _with_element_languages(weasyprint_tags._build_box_tree)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet(page_size: str) -> CSS:
    css = STYLESHEET.read_text() + f"\n@page {{ size: {page_size}; }}\n"
    return CSS(string=css, url_fetcher=FETCHER, font_config=_font_config())


def render_pdf(
    html: str,
    *,
    url_fetcher: URLFetcher = FETCHER,
    files: tuple[DataFile, ...] = (),
    identifier: bytes | None = None,
) -> bytes:
    """Return the PDF/A-3a of a finished summary HTML document, carrying `files`."""
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=url_fetcher)
    return document.write_pdf(
        stylesheets=[_stylesheet(settings.SUMMARY_PAGE_SIZE)],
        font_config=_font_config(),
        presentational_hints=False,
        **pdf_options(files, identifier),
    )
