"""Summary fixtures: the PDF of an intake whose every answer is at its longest, rendered once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

import pytest
import time_machine

from ..conftest import load_questionnaires, rolled_back
from .longest_answers import Filler, longest_answers
from .pdf_chars import Page, pdf_pages

TODAY = date(2026, 12, 2)


@dataclass
class LongestRender:
    pdf: bytes
    texts: list[str]  # every text the patient typed, as stored
    document: Any  # the IntakeDocument it was printed from

    @cached_property
    def pages(self) -> list[Page]:
        """The PDF's pages and characters, read once for every test that looks at them."""
        return pdf_pages(self.pdf)


def stored_texts(answers: dict, texts: set[str]) -> list[str]:
    """The generated texts that were stored, entries included."""
    found = []
    for value in answers.values():
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, dict):
                found += stored_texts(one, texts)
            elif one in texts:
                found.append(one)
    return found


def make_longest_intake(*, spaces: bool, turn: int):
    """Make an intake whose every answer is at its longest; return it and its texts."""
    from intake import services
    from intake.models import Intake

    filler = Filler(spaces=spaces)
    with time_machine.travel(datetime(2026, 12, 2, 9, tzinfo=UTC), tick=False):
        invitation = services.create_invitation(
            patient_name=filler.text(Intake._meta.get_field("patient_name").max_length),
            date_of_birth=date(1966, 9, 28),
            clinic_reference=filler.text(Intake._meta.get_field("clinic_reference").max_length),
        )
        texts = [invitation.intake.patient_name, invitation.intake.clinic_reference]
        responses = invitation.intake.responses.select_related("intake", "questionnaire_version")
        for response in responses:
            answers = longest_answers(
                response.questionnaire_version.questionnaire, filler=filler, turn=turn, today=TODAY
            )
            # The answers fill items this turn's choices hide too; those are left out.
            saved, _ = services.save_answers(
                response=response, answers=answers, revision=0, report_unasked=False
            )
            texts += stored_texts(saved.answers, set(filler.texts))
    return Intake.objects.get(pk=invitation.intake.pk), texts


@pytest.fixture(scope="session")
def longest_render(django_db_setup, django_db_blocker, tmp_path_factory):
    """Return `render(spaces=..., turn=...)`: the longest answers' PDF, made once per process.

    The fit and the reading tests read the same PDFs; the tests that use one filler's PDFs carry
    its xdist_group ("longest-with-spaces", "longest-unbroken"), so that they run in one process
    and share them, while the other filler's render in another.
    """
    from intake.summary.document import intake_document, render_document_html
    from intake.summary.pdf import render_pdf

    rendered: dict[tuple[bool, int], LongestRender] = {}

    def render(*, spaces: bool, turn: int) -> LongestRender:
        if (spaces, turn) not in rendered:
            with rolled_back(django_db_blocker, tmp_path_factory.mktemp("longest")):
                load_questionnaires()
                intake, texts = make_longest_intake(spaces=spaces, turn=turn)
                document = intake_document(intake)
                pdf = render_pdf(render_document_html(document))
            rendered[(spaces, turn)] = LongestRender(pdf, texts, document)
        return rendered[(spaces, turn)]

    return render
