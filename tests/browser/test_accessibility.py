"""axe-core finds no violations on any kind of patient page, with or without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .page_types import PAGE_TYPES, fill_in_answers
from .patient_pages import Patient

pytestmark = pytest.mark.browser


def violations(page) -> str:
    """Return "" when axe finds nothing, else each violation's id, help and nodes."""
    results = Axe().run(page)
    if results.violations_count == 0:
        return ""
    lines = [f"{results.violations_count} axe violation(s) on {page.url}"]
    for violation in results.response["violations"]:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"      {node.get('failureSummary', '')}".replace("\n", " "))
    report = "\n".join(lines)
    print(report)
    return report


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_axe_violations(patient, page_type):
    PAGE_TYPES[page_type](patient)
    assert not violations(patient.page)


def test_every_step_without_javascript_has_no_axe_violations(invite, new_phone):
    """Without JavaScript every question, "Other" box and follow-up of a ticked option is on the
    page at once; only the body pictures (drawn by the script; their checkbox lists are the
    control) stay hidden. A warning about an unticked option's follow-ups is drawn only when
    shown.

    axe itself needs JavaScript, so the page runs it but never loads the site's script.
    """
    invitation, link = invite()
    page = new_phone()
    page.route("**/intake.js", lambda route: route.abort())
    patient = Patient(page, link, invitation.intake.date_of_birth, invitation.intake)
    fill_in_answers(patient)
    patient.sign_in()
    steps = sum(
        len(response.questionnaire_version.questionnaire.sections)
        for response in patient.intake.responses.select_related("questionnaire_version")
    )
    assert steps == 22  # the five shipped questionnaires' pages
    found = []
    for number in range(1, steps + 1):
        patient.page.goto(f"{patient.base_url}/patient/step/{number}/")
        # The upload progress, like the body pictures, is drawn by the script only.
        hidden = patient.page.locator("[hidden]:not([data-body-map]):not([data-media-progress])")
        assert hidden.count() == 0, f"step {number}"
        found.append(violations(patient.page))
    assert not "".join(found), "\n".join(found)


def test_axe_does_report_a_page_with_a_known_violation(page):
    """Guard against a check that passes whatever: an unlabelled text box is reported."""
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert "label" in violations(page)
