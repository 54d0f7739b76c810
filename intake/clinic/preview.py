"""Staff preview of any loaded questionnaire version, page by page, as a patient sees it.

Nothing is stored: a posted page is cleaned and shown back with its messages, and no intake,
answer, session value or audit event is written.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..models import QuestionnaireVersion
from ..patient.fields import MONTHS, build_fields, page_errors
from ..patient.forms import answers_from_form
from ..questionnaires.cleaning import clean_answers
from ..questionnaires.cues import asked_when
from .access import SEE_INTAKES, staff_page


@staff_page(SEE_INTAKES)
def questionnaire_list(request):
    """List every loaded version, newest first within each questionnaire."""
    versions = QuestionnaireVersion.objects.defer("definition").order_by("slug", "-version")
    return render(request, "clinic/questionnaires.html", {"versions": versions})


@staff_page(SEE_INTAKES)
def preview_page(request, slug: str, version: int, number: int):
    """Show one page of a version as the patient sees it; a post checks it and stores nothing."""
    stored = get_object_or_404(QuestionnaireVersion, slug=slug, version=version)
    questionnaire = stored.questionnaire
    sections = questionnaire.sections
    if not 1 <= number <= len(sections):
        raise Http404
    section = sections[number - 1]
    items = questionnaire.item_index()
    values: dict = {}
    problems: dict[str, str] = {}
    checked = request.method == "POST"
    if checked:
        values = answers_from_form(section, request.POST, {})
        cleaned = clean_answers(
            questionnaire,
            values,
            today=timezone.localdate(),
            require={section.id},
            report_unasked={section.id},
        )
        problems = cleaned.problems
    fields = build_fields(section, values, problems, items=items)
    return render(
        request,
        "clinic/preview.html",
        {
            "stored": stored,
            "questionnaire": questionnaire,
            "section": section,
            "section_asked_when": asked_when(section.show_if, items),
            "number": number,
            "page_count": len(sections),
            "fields": fields,
            "errors": page_errors(fields),
            "checked": checked,
            "months": MONTHS,
        },
    )
