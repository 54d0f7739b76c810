"""An intake answered on version 1 keeps its summary and exports once version 2 is loaded."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from intake import catalog, services
from intake.interop.exports import csv_lines, intake_responses
from intake.models import QuestionnaireVersion
from intake.summary.document import intake_document, render_document_html
from intake.summary.service import bundle_json

from ..conftest import DEFS
from ..definitions.v1.answers import V1_ANSWERS

V1_DEFS = DEFS.parent / "tests" / "definitions" / "v1"

pytestmark = pytest.mark.django_db


def _load(folder):
    loaded, errors = catalog.validate_files(catalog.definition_files(folder))
    assert not errors, errors
    catalog.store_definitions(loaded)


def _what_the_clinic_sees(intake) -> tuple[str, bytes, list[str]]:
    html = render_document_html(intake_document(intake))
    return html, bundle_json(intake), list(csv_lines(intake_responses(intake)))


def test_a_version_1_intake_shows_and_exports_the_same_after_version_2_is_loaded():
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=UTC), tick=False):
        _load(V1_DEFS)
        old = services.create_invitation(
            patient_name="Jamie Earlier", date_of_birth=date(1970, 1, 5), clinic_reference="V1-7"
        )
        for response in old.intake.responses.select_related("intake", "questionnaire_version"):
            slug = response.questionnaire_version.slug
            services.save_answers(response=response, answers=V1_ANSWERS[slug], revision=0)
        intake = services.submit_intake(intake=old.intake)
        before = _what_the_clinic_sees(intake)

        _load(DEFS)
        after = _what_the_clinic_sees(intake)
        newer = services.create_invitation(patient_name="Kim Later", date_of_birth=None)

    newest = {v.slug: v.version for v in QuestionnaireVersion.objects.order_by("version")}
    assert newest == {
        "twitch_history": 2,
        "back_injury": 2,
        "surgeries": 2,
        "medications": 2,
        "health_background": 1,
    }
    assert after == before
    html = after[0]
    # Version 1's own questions and answers, word for word.
    assert "Do pain or other feelings spread from your back into your legs?" in html
    assert "Behind the left knee" in html
    assert "What did you try?" in html or "Things tried" in html
    assert "About your health" not in html
    asked = {
        r.questionnaire_version.slug: r.questionnaire_version.version
        for r in newer.intake.responses.all()
    }
    assert asked == newest
