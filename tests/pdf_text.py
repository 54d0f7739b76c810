"""Read a PDF's text back (pypdf), so tests check what a reader of the summary sees."""

import io

import pypdf


def pdf_words(pdf: bytes) -> str:
    """Return the text of every page, whitespace collapsed to single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# Answers of the invented demo intake (intake.demo) that a clinician looks for in its summary.
DEMO_ANSWER_TEXTS = (
    "Gabapentin",
    "Penicillin",
    "Microdiscectomy",
    "Left big toe joint",
    "bulge at L5-S1",
    "Ciprofloxacin",
    "Warehouse supervisor",
)


def assert_demo_summary(pdf: bytes, *, patient: str, reference: str) -> None:
    """Check a summary PDF names the patient and the chart and holds the demo answers."""
    text = pdf_words(pdf)
    assert f"{patient} · born" in text
    assert reference in text
    missing = [answer for answer in DEMO_ANSWER_TEXTS if answer not in text]
    assert not missing, missing
