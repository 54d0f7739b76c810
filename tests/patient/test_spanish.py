"""Patient pages in Spanish: picked by the browser, chosen by the patient, kept with the intake."""

import re
from pathlib import Path

import polib
import pytest

from intake.management.commands.compile_catalogue import catalogues, compiled
from intake.models import Intake

from .conftest import open_link

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_the_committed_catalogue_is_compiled_from_the_current_po_file():
    found = catalogues()
    assert [p.relative_to(LOCALE).as_posix() for p in found] == ["es/LC_MESSAGES/django.po"]
    for po_path in found:
        assert po_path.with_suffix(".mo").read_bytes() == compiled(po_path), (
            "run `manage.py compile_catalogue` and commit the .mo"
        )


def test_every_catalogue_entry_is_translated():
    catalogue = polib.pofile(str(LOCALE / "es/LC_MESSAGES/django.po"))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()


def test_a_spanish_browser_gets_the_start_page_in_spanish(client, invitation):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es-MX,es;q=0.9,en;q=0.5"
    open_link(client, invitation)
    page = client.get("/patient/")
    html = page.content.decode()
    assert '<html lang="es">' in html
    assert page["Content-Language"] == "es"
    assert "Antes de su visita" in html and "Before your visit" not in html
    assert "Nadie revisa este formulario en tiempo real." in html
    assert Intake.objects.get(pk=invitation.intake.pk).language == "es"


def test_the_language_links_switch_and_the_choice_sticks(patient, invitation):
    page = patient.get("/patient/").content.decode()
    assert 'href="/patient/language/es/?next=/patient/"' in page
    assert patient.get("/patient/language/es/?next=/patient/")["Location"] == "/patient/"
    step = patient.get("/patient/step/1/").content.decode()
    assert "Espasmos musculares" in step and "Siguiente" in step
    assert Intake.objects.get(pk=invitation.intake.pk).language == "es"
    patient.get("/patient/language/en/")
    assert "Muscle twitching" in patient.get("/patient/step/1/").content.decode()


def test_the_language_link_does_not_redirect_off_the_patient_pages(patient):
    assert patient.get("/patient/language/es/?next=https://evil.example/")["Location"] == (
        "/patient/"
    )
    assert patient.get("/patient/language/xx/").status_code == 302


def test_errors_are_in_spanish_and_name_the_question_in_spanish(patient):
    patient.get("/patient/language/es/")
    page = patient.post("/patient/step/2/", {"revision": "0", "action": "next", "bother": "11"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Hay un problema" in html
    assert "Elija un número del 0 al 10." in html
    assert "Choose a number" not in html


@pytest.mark.django_db
def test_clinic_pages_stay_english_for_a_spanish_browser(client, clinician):
    client.force_login(clinician)
    page = client.get("/clinic/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in page.content.decode()


GETTEXT_CALL = re.compile(r'\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]')
TRANSLATE_TAG = re.compile(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"')


def test_every_message_the_code_and_templates_mark_for_translation_is_in_the_catalogue():
    """A message marked for translation but missing from the .po reaches a Spanish patient in
    English (it happened: the follow-up error of choices with details)."""
    catalogue = {entry.msgid for entry in polib.pofile(str(LOCALE / "es/LC_MESSAGES/django.po"))}
    root = LOCALE.parent
    marked = {
        (path.relative_to(root).as_posix(), message)
        for pattern, folder, suffix in (
            (GETTEXT_CALL, "intake", "*.py"),
            (TRANSLATE_TAG, "templates", "*.html"),
        )
        for path in (root / folder).rglob(suffix)
        for message in pattern.findall(path.read_text())
    }
    assert len(marked) > 150
    assert sorted(found for found in marked if found[1] not in catalogue) == []
