"""Every kind of clinic page reads on a phone, with the longest answers: nothing wider than
the screen (tables stack or scroll in their own box), a summary's questions over their answers
at the full width, text links at least 24 px tall, and the favicon found (no 404 in the console).

Each page's screenshot at 390 x 844 is saved in build/screenshots/clinic-<page>.png.
"""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Permission

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake

from ..summary.longest_answers import Filler, longest_answers

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASSWORD = "a-long-invented-password-2026"
WIDTH = 390

LAYOUT_PROBLEMS = """(width) => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + " " + (el.textContent || "").trim().slice(0, 40);
  if (document.documentElement.scrollWidth > width) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll("body *")) {
      if (el.getBoundingClientRect().right > width + 0.5 && el.checkVisibility()) {
        problems.push(`  too wide: ${name(el)}`);
      }
    }
  }
  // A summary's question sits over its answer, the table's full width, not in a narrow column.
  for (const th of document.querySelectorAll(".summary-document table.rows th")) {
    if (!th.checkVisibility()) continue;
    const table = th.closest("table").getBoundingClientRect();
    if (th.getBoundingClientRect().width < 0.9 * table.width) {
      problems.push(`question in a narrow column: ${name(th)}`);
    }
  }
  for (const el of document.querySelectorAll("main a:not(.button), header a, footer a")) {
    if (!el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.height < 24) problems.push(`link ${box.height.toFixed(1)}px tall: ${name(el)}`);
  }
  return problems;
}"""


@pytest.fixture
def clinician(transactional_db, django_user_model, questionnaires):
    user = django_user_model.objects.create_user("dr-invented", password=PASSWORD)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_answers", "manage_invitations", "view_intake"]
        )
    )
    return user


def longest_intake() -> Intake:
    """An intake whose every answer, name and reference is at its longest, unbroken."""
    filler = Filler(spaces=False)
    today = date(2026, 12, 2)
    with time_machine.travel(datetime(2026, 12, 2, 9, tzinfo=UTC), tick=False):
        invitation = services.create_invitation(
            patient_name=filler.text(Intake._meta.get_field("patient_name").max_length),
            date_of_birth=date(1966, 9, 28),
            clinic_reference=filler.text(Intake._meta.get_field("clinic_reference").max_length),
        )
        for response in invitation.intake.responses.select_related(
            "intake", "questionnaire_version"
        ):
            questionnaire = response.questionnaire_version.questionnaire
            answers = longest_answers(questionnaire, filler=filler, turn=0, today=today)
            services.save_answers(
                response=response, answers=answers, revision=0, report_unasked=False
            )
    return invitation.intake


def demo_intake() -> Intake:
    invitation = services.create_invitation(
        patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27), clinic_reference="C-42"
    )
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response, answers=DEMO_ANSWERS[response.questionnaire_version.slug], revision=0
        )
    return services.submit_intake(intake=invitation.intake)


def test_every_clinic_page_fits_a_phone_with_the_longest_answers(page, live_server, clinician):
    longest, demo = longest_intake(), demo_intake()
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "dr-invented")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    pages = {
        "dashboard": "/clinic/",
        "new-invitation": "/clinic/invitations/new/",
        "intake": f"/clinic/intakes/{longest.pk}/",
        "summary": f"/clinic/intakes/{longest.pk}/summary/",
        "demo-intake": f"/clinic/intakes/{demo.pk}/",
        "demo-summary": f"/clinic/intakes/{demo.pk}/summary/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        problems += [f"{name}: {one}" for one in page.evaluate(LAYOUT_PROBLEMS, WIDTH)]
        page.screenshot(path=SCREENSHOTS / f"clinic-{name}.png", scale="css")
    assert not problems, "\n".join(problems[:40])
    assert missing == []
