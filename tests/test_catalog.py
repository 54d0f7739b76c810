"""Loading questionnaire files: versions by content, validation commands, the published schema."""

import json
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from intake.management.commands.questionnaire_schema import schema_json
from intake.models import QuestionnaireVersion
from intake.services import create_invitation

from .conftest import DEFS

pytestmark = pytest.mark.django_db


@pytest.fixture
def defs_copy(tmp_path, settings):
    folder = tmp_path / "defs"
    shutil.copytree(DEFS, folder)
    settings.QUESTIONNAIRE_DIR = folder
    return folder


def test_validate_passes_on_the_shipped_files(capsys):
    call_command("validate_questionnaires")
    out = capsys.readouterr().out
    for slug in ("twitch_history", "back_injury", "surgeries", "medications", "health_background"):
        assert f"{slug}.yaml: ok" in out


def test_validate_prints_every_problem_of_every_file_and_fails(defs_copy, capsys):
    surgeries = defs_copy / "surgeries.yaml"
    surgeries.write_text(surgeries.read_text().replace("title:", "score: 1\ntitle:", 1))
    (defs_copy / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    with pytest.raises(CommandError, match="2 problem"):
        call_command("validate_questionnaires")
    err = capsys.readouterr().err
    assert re.search(r"^surgeries.yaml:\d+: score: unknown key 'score'$", err, re.M)
    assert "broken.yaml:3: not valid YAML" in err


def test_validate_checks_only_the_files_named(defs_copy, capsys):
    call_command("validate_questionnaires", str(defs_copy / "medications.yaml"))
    assert capsys.readouterr().out.strip().startswith("medications.yaml: ok, reading grade")


def test_loading_twice_creates_no_new_version(defs_copy, capsys):
    call_command("load_questionnaires")
    first = capsys.readouterr().out
    assert "twitch_history: stored version 1" in first
    call_command("load_questionnaires")
    assert "twitch_history: unchanged (version 1)" in capsys.readouterr().out
    assert QuestionnaireVersion.objects.count() == 5


def test_editing_a_file_stores_version_two_and_old_answers_keep_version_one(defs_copy):
    call_command("load_questionnaires")
    invitation = create_invitation(patient_name="Sam Sample", date_of_birth=None)
    path = defs_copy / "medications.yaml"
    # English only here: a changed English text makes its translation stale (test_translations).
    (defs_copy / "i18n" / "medications.es.yaml").unlink()
    text = path.read_text()
    edited = text.replace("title:", "title: Edited -", 1)
    assert edited != text
    path.write_text(edited)
    call_command("load_questionnaires")

    versions = QuestionnaireVersion.objects.filter(slug="medications").order_by("version")
    assert [v.version for v in versions] == [1, 2]
    response = invitation.intake.responses.get(questionnaire_version__slug="medications")
    assert response.questionnaire_version.version == 1
    newer = create_invitation(patient_name="Kim Sample", date_of_birth=None)
    assert (
        newer.intake.responses.get(
            questionnaire_version__slug="medications"
        ).questionnaire_version.version
        == 2
    )


def test_formatting_changes_alone_make_no_new_version(defs_copy):
    call_command("load_questionnaires")
    path = defs_copy / "surgeries.yaml"
    path.write_text("# a comment the clinic added\n" + path.read_text() + "\n\n")
    call_command("load_questionnaires")
    assert QuestionnaireVersion.objects.filter(slug="surgeries").count() == 1


def test_load_refuses_everything_when_a_file_is_broken(defs_copy, capsys):
    (defs_copy / "back_injury.yaml").write_text("id: back_injury\n")
    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_questionnaires")
    assert "missing required key 'title'" in capsys.readouterr().err
    assert QuestionnaireVersion.objects.count() == 0


def test_system_check_refuses_a_broken_file(defs_copy):
    (defs_copy / "extra.yaml").write_text("id: extra\ntitle: X\nsections: []\n")
    with pytest.raises(Exception, match="extra.yaml.*sections"):
        call_command("check")


def test_two_files_with_the_same_id_are_refused(defs_copy, capsys):
    shutil.copy(defs_copy / "surgeries.yaml", defs_copy / "surgeries_copy.yaml")
    with pytest.raises(CommandError):
        call_command("validate_questionnaires")
    assert "must match the file name 'surgeries_copy'" in capsys.readouterr().err


def test_published_json_schema_matches_the_validator():
    published = (DEFS / "schema.json").read_text()
    assert published == schema_json(), (
        "run `make schema` to regenerate questionnaire_defs/schema.json"
    )
    schema = json.loads(published)
    item_types = json.dumps(schema["$defs"])
    for item_type in ("yes_no", "month_year", "scale", "group", "display"):
        assert f'"const": "{item_type}"' in item_types
    assert "score" not in schema["$defs"]["IntegerItem"]["properties"]
    assert schema["$defs"]["IntegerItem"]["additionalProperties"] is False


def small_file(tmp_path, question: str, options: str):
    path = tmp_path / "small.yaml"
    path.write_text(
        "id: small\ntitle: Small\nsections:\n  - id: only\n    title: Only\n    items:\n"
        f"      - id: cause\n        type: single_choice\n        text: {question}\n"
        f"        required: true\n        options:\n{options}"
    )
    return str(path)


PLAIN_OPTIONS = (
    "          - {value: fall, label: A fall}\n          - {value: lift, label: Lifting}\n"
)


def test_validate_warns_about_a_required_choice_with_no_not_sure(tmp_path, capsys):
    call_command("validate_questionnaires", small_file(tmp_path, "What caused it?", PLAIN_OPTIONS))
    out = capsys.readouterr().out
    assert (
        "warning: small.yaml:11: sections[only].items[cause].options: a required choice with "
        "no way to say 'Not sure': add an option with value not_sure"
    ) in out
    assert "small.yaml: ok" in out


def test_validate_does_not_warn_when_a_required_choice_offers_not_sure(tmp_path, capsys):
    options = PLAIN_OPTIONS + "          - {value: not_sure, label: Not sure}\n"
    call_command("validate_questionnaires", small_file(tmp_path, "What caused it?", options))
    assert "warning" not in capsys.readouterr().out


def test_validate_warns_about_a_required_yes_no_with_no_not_sure(tmp_path, capsys):
    path = tmp_path / "small.yaml"
    path.write_text(
        "id: small\ntitle: Small\nsections:\n  - id: only\n    title: Only\n    items:\n"
        '      - {id: hurt, type: yes_no, text: "Did it hurt?", required: true}\n'
        '      - {id: fell, type: yes_no, text: "Did you fall?", required: true, not_sure: true}\n'
    )
    call_command("validate_questionnaires", str(path))
    out = capsys.readouterr().out
    assert "sections[only].items[hurt]: a required yes/no question with no 'Not sure'" in out
    assert "items[fell]" not in out


HARD_QUESTION = (
    "Characterise the predominant neuromuscular manifestations experienced subsequently "
    "to the commencement of pharmacological interventions"
)


def test_validate_fails_a_file_above_grade_8_naming_the_hardest_question(tmp_path, capsys):
    path = small_file(tmp_path, HARD_QUESTION, PLAIN_OPTIONS)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("validate_questionnaires", path)
    err = capsys.readouterr().err
    assert re.search(
        r"^small.yaml: reading grade [\d.]+ \(questions and options\) is above "
        r"grade 8; hardest to read: cause \([\d.]+\)$",
        err,
        re.M,
    )


def test_validate_reading_grade_limit_can_be_raised(tmp_path, capsys):
    call_command(
        "validate_questionnaires", small_file(tmp_path, HARD_QUESTION, PLAIN_OPTIONS), max_grade=40
    )
    assert "small.yaml: ok, reading grade" in capsys.readouterr().out
