"""An intake answered in Spanish: the clinician reads English, the patient's words as written."""

import io
import subprocess
from collections import defaultdict
from datetime import date
from unittest import mock

import pdfplumber
import pikepdf
import pytest
from weasyprint.pdf import tags as weasyprint_tags

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import render_pdf
from intake.summary.service import render_archive_pdf, summary_pdf

pytestmark = pytest.mark.django_db

SPANISH_WORDS = "Me tiembla la pantorrilla izquierda, sobre todo de noche."


@pytest.fixture
def spanish_intake(questionnaires) -> Intake:
    invitation = services.create_invitation(
        patient_name="Ana Ejemplo", date_of_birth=date(1970, 5, 4), clinic_reference="ES-1"
    )
    services.record_language(intake=invitation.intake, language="es")
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        answers = dict(DEMO_ANSWERS[response.questionnaire_version.slug])
        if response.questionnaire_version.slug == "twitch_history":
            answers["anything_else"] = SPANISH_WORDS
        services.save_answers(response=response, answers=answers, revision=0)
    return services.submit_intake(intake=invitation.intake)


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join(page.extract_text().split()) for page in document.pages)


def marked_texts(pdf: bytes) -> list[dict[int, str]]:
    """Return, page by page, the text of each marked-content sequence by its MCID."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = []
        for page in document.pages:
            texts: dict[int, str] = defaultdict(str)
            for char in page.chars:
                if char.get("mcid") is not None:
                    texts[char["mcid"]] += char["text"]
            pages.append(texts)
    return pages


def structure_elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Return every structure element of a tagged PDF."""
    found, waiting = [], [document.Root.StructTreeRoot]
    while waiting:
        kids = waiting.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                found.append(kid)
                waiting.append(kid)
    return found


def language_in_effect(element, catalog) -> str:
    """Return a structure element's /Lang, else its nearest ancestor's, else the document's."""
    while element.get("/Type") != "/StructTreeRoot":
        if "/Lang" in element:
            return str(element.Lang)
        element = element.P
    return str(catalog.Lang)


def texts_and_languages(pdf: bytes) -> list[tuple[str, str]]:
    """Return each marked-content sequence's text and the language it is in (one PDF parse)."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        numbers = document.Root.StructTreeRoot.ParentTree.Nums
        # WeasyPrint writes the parent tree flat: page number, then its MCIDs' elements.
        by_page = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        for page_number, texts in enumerate(marked_texts(pdf)):
            for mcid, text in texts.items():
                element = by_page[page_number][mcid]
                found.append((text, language_in_effect(element, document.Root)))
    return found


def languages_of(texts: list[tuple[str, str]], *, containing: str) -> list[str]:
    """Return the language each marked-content sequence that contains `containing` is in."""
    return [language for text, language in texts if containing in text]


def test_the_clinician_summary_is_english_and_says_it_was_completed_in_spanish(spanish_intake):
    html = render_document_html(intake_document(spanish_intake))
    assert '<html lang="en">' in html
    assert "Completed in Spanish." in html
    assert "Is there anything else you want your clinician to know?" in html
    assert f'lang="es">{SPANISH_WORDS}' in html
    assert "¿Hay algo más" not in html and "Sí" not in html


def test_the_clinician_pdf_keeps_the_spanish_words_verbatim_and_tags_them_es(spanish_intake):
    pdf = summary_pdf(spanish_intake)
    text = pdf_text(pdf)
    assert "Completed in Spanish." in text
    assert SPANISH_WORDS in text
    assert "Have you ever had surgery?" in text
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "en"


def test_the_clinician_pdf_tags_the_spanish_words_es_and_the_english_labels_en(
    spanish_intake, tmp_path
):
    pdf = summary_pdf(spanish_intake)
    texts = texts_and_languages(pdf)
    # Each line of text is one marked-content sequence: every line of the answer, wherever the
    # summary prints it, is tagged; the questions and the clinic's own text are English.
    for words in ("tiembla", "pantorrilla", "noche"):
        languages = languages_of(texts, containing=words)
        assert languages and set(languages) == {"es"}, words
    for words in ("clinician to know", "Completed in Spanish", "Have you ever had surgery?"):
        languages = languages_of(texts, containing=words)
        assert languages and set(languages) == {"en"}, words
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.Root.MarkInfo.Marked is True
        with document.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "A"
    path = tmp_path / "spanish.pdf"
    path.write_bytes(pdf)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_an_english_intake_prints_exactly_as_weasyprint_alone_prints_it(submitted_intake):
    tagged = render_archive_pdf(submitted_intake)
    with mock.patch.object(
        weasyprint_tags, "_build_box_tree", weasyprint_tags._build_box_tree.__wrapped__
    ):
        untagged = render_archive_pdf(submitted_intake)
    assert tagged == untagged
    with pikepdf.open(io.BytesIO(tagged)) as document:
        assert str(document.Root.Lang) == "en"
        elements = structure_elements(document)
        assert len(elements) > 100 and not any("/Lang" in element for element in elements)


def test_the_patients_copy_is_in_spanish(spanish_intake):
    document = intake_document(spanish_intake, language="es")
    pdf = render_pdf(render_document_html(document, patient_copy=True))
    text = pdf_text(pdf)
    assert "Sus respuestas" in text
    assert "¿Alguna vez lo han operado?" in text
    assert SPANISH_WORDS in text
    assert "Have you ever had surgery?" not in text and "Completed in Spanish" not in text
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert str(opened.Root.Lang) == "es"
