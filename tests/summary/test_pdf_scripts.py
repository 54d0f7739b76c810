"""Answers in other scripts (Chinese, Arabic, Hindi, emoji, ...) print with real glyphs."""

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import pdfplumber
import pypdf
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from intake import services
from intake.models import Intake
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import render_pdf

from ..conftest import ROOT, load_questionnaires, rolled_back

# Invented answers, one per script a patient might type in.
SAMPLES = {
    "Chinese": "小腿肌肉抽搐三个月",
    "Japanese": "ふくらはぎがピクピクする",
    "Korean": "종아리 근육이 떨려요",
    "Arabic": "ارتعاش في عضلة الساق منذ ثلاثة أشهر",
    "Hebrew": "רעד בשריר השוק",
    "Hindi": "तीन महीने से पिंडली में फड़कन",
    "Bengali": "পায়ের পেশি কাঁপছে",
    "Tamil": "கால் தசை துடிப்பு",
    "Thai": "กล้ามเนื้อน่องกระตุก",
    "Russian": "подёргивание икроножной мышцы",
    "Greek": "σύσπαση της γάμπας",
    "Vietnamese": "co giật cơ bắp chân",
    "Emoji": "😀🦵💊👩‍⚕️",
}


def needs_a_glyph(char: str) -> bool:
    """Whether a character has a glyph of its own: a letter, digit, punctuation or symbol.

    Marks (Hindi vowel signs, Bengali candrabindu) are often drawn as part of their letter's
    glyph; spaces, joiners and variation selectors draw nothing.
    """
    return unicodedata.category(char)[0] in "LNPS"


@dataclass(frozen=True)
class Glyph:
    """One glyph the PDF draws: its font, the text it stands for, and whether the font has it."""

    font: str
    text: str
    in_font: bool
    draws: bool


def pdf_glyphs(pdf: bytes) -> list[Glyph]:
    """Return every glyph of every embedded font, read from the font program itself.

    A character no font could print is drawn with a glyph its font does not have (an empty
    box on paper), whatever the text layer says.
    """
    glyphs = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            program = TTFont(io.BytesIO(program.get_object().get_data()))
            names, drawings = program.getGlyphOrder(), program.getGlyphSet()
            to_unicode = font["/ToUnicode"].get_object().get_data().decode()
            for code, text in re.findall(r"<([0-9a-f]+)> <([0-9a-f]+)>", to_unicode)[1:]:
                gid = int(code, 16)
                name = names[gid] if 0 < gid < len(names) else None
                bounds = BoundsPen(drawings)
                if name is not None:
                    drawings[name].draw(bounds)
                glyphs.append(
                    Glyph(
                        font["/BaseFont"][1:],
                        bytes.fromhex(text).decode("utf-16-be"),
                        in_font=name is not None,
                        draws=bounds.bounds is not None,
                    )
                )
    return glyphs


@pytest.fixture(scope="module")
def pdf_in_every_script(django_db_setup, django_db_blocker, tmp_path_factory):
    """Render, once for this module's tests, an intake answered in every script."""
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("scripts")):
        load_questionnaires()
        pdf = render_every_script()
    out = ROOT / "build" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scripts.pdf").write_bytes(pdf)  # for a human to look at
    return pdf


def render_every_script() -> bytes:
    invitation = services.create_invitation(
        patient_name=f"{SAMPLES['Chinese']} {SAMPLES['Arabic']} {SAMPLES['Hindi']}",
        date_of_birth=date(1980, 4, 12),
        clinic_reference="T-101",
    )
    responses = invitation.intake.responses.select_related("intake", "questionnaire_version")
    twitch = responses.get(questionnaire_version__slug="twitch_history")
    everything = "\n".join(f"{script}: {text}" for script, text in SAMPLES.items())
    services.save_answers(response=twitch, answers={"anything_else": everything}, revision=0)
    medications = responses.get(questionnaire_version__slug="medications")
    medicines = [{"medicine_name": text, "medicine_dose": "50 mg"} for text in SAMPLES.values()]
    services.save_answers(
        response=medications,
        answers={"takes_medicines": "yes", "medicines": medicines},
        revision=0,
    )
    return render_pdf(
        render_document_html(intake_document(Intake.objects.get(pk=twitch.intake_id)))
    )


def test_every_script_prints_with_real_glyphs(pdf_in_every_script):
    glyphs = pdf_glyphs(pdf_in_every_script)
    boxes = [(glyph.font, glyph.text) for glyph in glyphs if not glyph.in_font]
    assert boxes == [], f"printed as empty boxes: {boxes}"
    for script, text in SAMPLES.items():
        for char in filter(needs_a_glyph, text):
            used = [glyph for glyph in glyphs if char in glyph.text]
            assert used, f"{script} {char!r} is not in the PDF"
            if script != "Emoji":  # colour emoji are pictures, their glyphs have no outline
                assert any(glyph.draws for glyph in used), f"{script} {char!r} draws nothing"


def test_emoji_print_as_colour_pictures_and_digits_stay_in_the_text_font(pdf_in_every_script):
    with pdfplumber.open(io.BytesIO(pdf_in_every_script)) as document:
        chars = [char for page in document.pages for char in page.chars]
        pictures = [(image["x0"], image["top"]) for page in document.pages for image in page.images]
    emoji = [char for char in chars if char["text"] in {"😀", "🦵", "💊"}]
    assert len(emoji) >= 3 and all("Emoji" in char["fontname"] for char in emoji)
    for char in emoji:
        assert any(abs(x - char["x0"]) < 2 and abs(top - char["top"]) < 4 for x, top in pictures), (
            f"{char['text']!r} has no colour picture"
        )
    digits = {char["fontname"] for char in chars if char["text"].isdigit()}
    assert digits and not any("Emoji" in font for font in digits), digits
