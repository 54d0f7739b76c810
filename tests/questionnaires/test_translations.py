"""Spanish questionnaires: complete, current, plain, and stored with the version they translate."""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from intake.models import QuestionnaireVersion
from intake.questionnaires.loader import load_file
from intake.questionnaires.readability import reading_grade
from intake.questionnaires.translations import english_texts, localize, source_hash

from .test_shipped_definitions import DEFS, QUESTIONNAIRE_IDS

# The Spanish of tests/questionnaires/test_shipped_definitions.py's ADVICE_PATTERNS: words that
# would tell the patient what they have, what it means or what to do.
ADVICE_PATTERNS_ES = [
    r"\bdeber[íi]a",
    r"\bdebe\b",
    r"\bpuede que tenga",
    r"\bpodr[íi]a tener",
    r"\bsignos? de\b",
    r"\bse[ñn]al(es)? de\b",
    r"\bsugier",
    r"\bsugerim",
    r"\bdiagn[oó]st",
    r"\bprobable",
    r"\brecomend",
    r"\brecomiend",
    r"\bconsulte a",
    r"\bvea a (un|su) m[ée]dico",
    r"\bbusque (ayuda|atenci[óo]n)",
    r"\btratamiento para",
    r"\ble aconsejamos",
    r"\bpodr[íi]a significar",
    r"\bpuede significar",
    r"\bemergencia",
    r"\b911\b",
]


def _spanish(questionnaire_id: str):
    return localize(load_file(DEFS / f"{questionnaire_id}.yaml").questionnaire, "es")


@pytest.fixture
def defs_copy(tmp_path, settings):
    folder = tmp_path / "defs"
    shutil.copytree(DEFS, folder)
    settings.QUESTIONNAIRE_DIR = folder
    return folder


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_every_shipped_text_has_a_current_spanish_translation(questionnaire_id):
    loaded = load_file(DEFS / f"{questionnaire_id}.yaml")
    spanish = loaded.definition["translations"]["es"]
    assert set(spanish) == set(english_texts(loaded.definition))
    localized = localize(loaded.questionnaire, "es")
    assert localized.title != loaded.questionnaire.title


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_spanish_texts_give_no_diagnosis_or_advice(questionnaire_id):
    texts = english_texts(_spanish(questionnaire_id).model_dump(by_alias=True, exclude_none=True))
    found = [
        f"{key}: {text!r}"
        for key, text in texts.items()
        if any(re.search(pattern, text, re.IGNORECASE) for pattern in ADVICE_PATTERNS_ES)
    ]
    assert not found


def test_the_spanish_phrase_list_catches_advice():
    advice = ["Usted debería ver a un médico.", "Puede ser signo de una hernia.", "Le recomendamos"]
    for text in advice:
        assert any(re.search(p, text, re.IGNORECASE) for p in ADVICE_PATTERNS_ES), text


@pytest.mark.parametrize("questionnaire_id", QUESTIONNAIRE_IDS)
def test_spanish_reads_at_grade_eight_or_below(questionnaire_id):
    grade = reading_grade(_spanish(questionnaire_id), "es")
    assert grade.grade <= 8, grade


def test_validate_refuses_a_missing_entry_naming_file_item_and_line(defs_copy, capsys):
    path = defs_copy / "i18n" / "surgeries.es.yaml"
    text = path.read_text()
    start = text.index("  surgery_planned:\n    text:")
    end = text.index("\n", text.index("text:", text.index("source:", start)))
    path.write_text(text[:start] + "  surgery_planned:\n    help_unused: {}" + text[end:])
    with pytest.raises(CommandError):
        call_command("validate_questionnaires")
    err = capsys.readouterr().err
    line = _line_of(path, "  surgery_planned:")
    assert (
        f"i18n/surgeries.es.yaml:{line}: items.surgery_planned.text: missing: no translation of "
        "“Do you have any surgery planned?”"
    ) in err


def test_validate_refuses_a_stale_entry_after_the_english_changed(defs_copy, capsys):
    english = defs_copy / "medications.yaml"
    english.write_text(english.read_text().replace("How bad was it?", "How strong was it?"))
    with pytest.raises(CommandError):
        call_command("validate_questionnaires")
    err = capsys.readouterr().err
    translation = defs_copy / "i18n" / "medications.es.yaml"
    line = _line_of(translation, 'text: "¿Qué tan fuerte fue?"') - 1  # its source: line
    assert (
        f"i18n/medications.es.yaml:{line}: items.allergy_severity.text: stale: the English "
        "changed since this was translated; it now reads “How strong was it?”"
    ) in err


def test_translate_command_marks_the_stale_entry_and_keeps_the_rest(defs_copy, capsys):
    english = defs_copy / "medications.yaml"
    english.write_text(english.read_text().replace("How bad was it?", "How strong was it?"))
    call_command("translate_questionnaires", "--language", "es", str(english))
    assert "1 entry to do" in capsys.readouterr().out
    text = (defs_copy / "i18n" / "medications.es.yaml").read_text()
    assert "allergy_severity:\n    text:  # How strong was it?\n      # STALE" in text
    assert '"¿Qué tan fuerte fue?"' in text  # the old Spanish stays for the translator


@pytest.mark.django_db
def test_a_changed_translation_is_a_new_version_and_old_intakes_keep_their_spanish(defs_copy):
    from intake.services import create_invitation

    call_command("load_questionnaires")
    first = create_invitation(patient_name="Ana Prueba", date_of_birth=None)
    path = defs_copy / "i18n" / "surgeries.es.yaml"
    path.write_text(path.read_text().replace("¿Alguna vez lo han operado?", "¿Le han operado?"))
    call_command("load_questionnaires")
    versions = QuestionnaireVersion.objects.filter(slug="surgeries").order_by("version")
    assert [v.version for v in versions] == [1, 2]
    old = first.intake.responses.get(questionnaire_version__slug="surgeries").questionnaire_version
    assert old.questionnaire_in("es").item_index()["had_surgery"].text == (
        "¿Alguna vez lo han operado?"
    )
    assert versions[1].questionnaire_in("es").item_index()["had_surgery"].text == (
        "¿Le han operado?"
    )


def test_a_definition_file_may_not_carry_translations_itself(tmp_path):
    from intake.questionnaires.loader import DefinitionInvalid, load_text

    text = (DEFS / "surgeries.yaml").read_text() + "translations: {es: {title: Cirugías}}\n"
    with pytest.raises(DefinitionInvalid, match="translations live in i18n/"):
        load_text(text, file="surgeries.yaml")


def test_a_hash_yaml_would_read_as_a_number_survives_the_translate_command(defs_copy):
    # "Nothing that I know of" hashes to 00677102, an octal integer to YAML 1.1 unless quoted.
    assert source_hash("Nothing that I know of") == "00677102"
    call_command("translate_questionnaires", "--language", "es")
    text = (defs_copy / "i18n" / "twitch_history.es.yaml").read_text()
    assert 'source: "00677102"' in text
    call_command("validate_questionnaires")  # no stale entry made up by the writer
