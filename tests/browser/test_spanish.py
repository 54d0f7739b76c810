"""A whole intake in Spanish on a phone, with and without JavaScript: no English on any page.

On every patient page the test collects each visible text node (and each button's or box's
visible words) and checks none of them is an English text that has a different Spanish one:
a string of the Django catalogue, or a questionnaire text. axe runs on every page too.
"""

from datetime import date
from pathlib import Path

import polib
import pytest
from playwright.sync_api import expect

from intake import catalog
from intake.questionnaires.translations import english_texts

from .patient_pages import Patient
from .test_accessibility import violations

pytestmark = pytest.mark.browser

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"
BIRTH_DATE = date(1971, 2, 9)
TYPED = [
    "Me tiembla la pantorrilla izquierda cuando descanso.",
    "Tengo miedo de que empeore.",
    "Quiero saber qué hacer con los calambres.",
]

# Every visible text node, and what a button or text box shows, trimmed.
VISIBLE_TEXTS = """() => {
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const parent = node.parentElement;
    if (text && parent && parent.checkVisibility({visibilityProperty: true})) seen.push(text);
  }
  for (const box of document.querySelectorAll("input[placeholder], input[type=submit]")) {
    if (box.checkVisibility()) seen.push((box.placeholder || box.value).trim());
  }
  return seen;
}"""


@pytest.fixture(scope="module")
def english_strings():
    """English texts a Spanish page must not show: those whose Spanish differs."""
    strings = {
        " ".join(entry.msgid.split())
        for entry in polib.pofile(str(CATALOGUE))
        if entry.msgstr and entry.msgstr != entry.msgid and "%(" not in entry.msgid
    }
    loaded, errors = catalog.validate_files(catalog.definition_files())
    assert not errors
    for one in loaded:
        definition = one.definition
        spanish = definition["translations"]["es"]
        for key, english in english_texts(definition).items():
            if spanish[key] != english:
                strings.add(" ".join(english.split()))
    return strings


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request):
    return request.param


def _heading(page, text: str) -> None:
    expect(page.locator("h1")).to_have_text(text, timeout=30_000)


def _check_page(page, english_strings: set[str], pages: list[str]) -> None:
    assert page.locator("html").get_attribute("lang") == "es", page.url
    english = [text for text in page.evaluate(VISIBLE_TEXTS) if text in english_strings]
    assert not english, f"English on {page.url}: {english}"
    assert not violations(page), page.url
    pages.append(page.url)


def test_whole_intake_in_spanish_shows_no_english(invite, new_phone, javascript, english_strings):
    invitation, link = invite("Rosa Ejemplo", BIRTH_DATE)
    # Without JavaScript: the site's scripts never load. The browser keeps JavaScript itself on,
    # because axe runs in the page (with it off, axe's promise never settles and the run hangs).
    page = new_phone()
    if not javascript:
        page.route("**/intake.js", lambda route: route.abort())
        page.route("**/media.js", lambda route: route.abort())
    page.set_default_timeout(30_000)  # two shared cores: a first page can take a while
    patient = Patient(page, link, BIRTH_DATE)
    seen: list[str] = []

    patient.open_link()
    patient.follow("Español")
    _heading(page, "Confirme su fecha de nacimiento")
    _check_page(page, english_strings, seen)
    patient.confirm_birth_date()
    _heading(page, "Antes de su visita")
    _check_page(page, english_strings, seen)
    patient.follow("Empezar")

    typed = iter(TYPED)
    while "/patient/step/" in page.url:
        assert seen.count(page.url) < 3, f"Next does not leave {page.url}"
        _check_page(page, english_strings, seen)
        boxes = page.locator("textarea:visible")
        if boxes.count():
            text = next(typed, None)
            if text:
                boxes.last.fill(text)
        patient.press("next")

    _heading(page, "Revise sus respuestas")
    _check_page(page, english_strings, seen)
    review = patient.body_text()
    for text in TYPED:
        assert text in review
    patient.submit("button:has-text('Enviar mis respuestas')")
    _heading(page, "Gracias")
    _check_page(page, english_strings, seen)

    steps = [url for url in seen if "/patient/step/" in url]
    assert len(steps) >= 15, seen  # every page of the five questionnaires was checked
    invitation.intake.refresh_from_db()
    assert invitation.intake.language == "es"
    assert invitation.intake.status == "submitted"


def test_the_check_does_find_english_on_a_page(page, english_strings):
    """Guard against a check that passes whatever: English text and a hidden one."""
    page.set_content(
        '<html lang="es"><body><h1>Antes de su visita</h1><p> Before your\n visit </p>'
        "<p hidden>Check your answers</p><button>Send my answers</button></body></html>"
    )
    found = [text for text in page.evaluate(VISIBLE_TEXTS) if text in english_strings]
    assert found == ["Before your visit", "Send my answers"]
