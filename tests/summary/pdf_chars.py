"""A PDF's characters with their boxes, read by PDFium.

pdfplumber (pdfminer) took 9-10 s to read the characters of the 48-page longest-answers PDF;
PDFium (pypdfium2, already installed with pdfplumber) reads them in half a second. The pages it
returns quack like pdfplumber's where the fit and reading tests look: `width`, `height` and
`chars`, each a dict with `text`, `x0`, `x1`, `top` and `bottom` in points from the top left.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

LINE_TOLERANCE = 3  # points: characters this close in height share a line, as in pdfplumber
WORD_GAP = 3  # points: a wider gap between two characters of a line reads as a space


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    chars: list[dict]


def pdf_pages(pdf: bytes) -> list[Page]:
    """Return every page with the characters the PDF draws, in written order.

    Characters PDFium makes up (the spaces and line breaks it infers) are left out: a space
    WeasyPrint wrote is a drawn character and stays.
    """
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            width, height = page.get_size()
            text_page = page.get_textpage()
            chars = []
            for index in range(text_page.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(text_page, index):
                    continue
                left, bottom, right, top = text_page.get_charbox(index, loose=True)
                code = pdfium_c.FPDFText_GetUnicode(text_page, index)
                chars.append(
                    {
                        "text": chr(code),
                        "x0": left,
                        "x1": right,
                        "top": height - top,
                        "bottom": height - bottom,
                    }
                )
            pages.append(Page(width, height, chars))
            text_page.close()
            page.close()
    finally:
        document.close()
    return pages


def lowest_line(chars: list[dict]) -> str:
    """Return the text of the lowest line among `chars`, left to right, gaps read as spaces."""
    if not chars:
        return ""
    lowest = max(char["top"] for char in chars)
    line = sorted(
        (char for char in chars if lowest - char["top"] <= LINE_TOLERANCE), key=lambda c: c["x0"]
    )
    text, right = "", None
    for char in line:
        if right is not None and char["x0"] - right > WORD_GAP:
            text += " "
        text += char["text"]
        right = char["x1"]
    return " ".join(text.split())
