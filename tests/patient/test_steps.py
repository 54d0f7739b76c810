"""One section per page: saving on Next, errors that keep what was typed, groups, conflicts."""

import io
import logging
import re

import pytest
from django.conf import settings

from intake.models import Response

from ..definitions import version_1_questionnaires  # noqa: F401  (the fixture "questionnaires")

pytestmark = pytest.mark.django_db


def answers(invitation, slug):
    return Response.objects.get(intake=invitation.intake, questionnaire_version__slug=slug).answers


def revision(invitation, slug):
    return Response.objects.get(intake=invitation.intake, questionnaire_version__slug=slug).revision


def test_first_page_shows_progress_and_its_questions(patient):
    page = patient.get("/patient/step/1/").content.decode()
    assert "Step 1 of 13" in page
    assert '<progress max="13" value="1"' in page
    assert "Where do your muscles twitch or jump" in page
    assert 'type="checkbox"' in page
    assert page.count("<fieldset") >= 2


def test_next_saves_the_page_and_goes_on(patient, invitation):
    response = patient.post(
        "/patient/step/1/",
        {
            "revision": 0,
            "action": "next",
            "areas": ["left_calf", "right_calf"],
            "worse_side": "left",
            "know_start": "yes",
            "started-month": "03",
            "started-year": "2024",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/patient/step/2/"
    assert answers(invitation, "twitch_history") == {
        "areas": ["left_calf", "right_calf"],
        "worse_side": "left",
        "know_start": "yes",
        "started": "2024-03",
    }


def test_answers_to_questions_not_asked_are_named_beside_them_and_not_stored(patient, invitation):
    response = patient.post(
        "/patient/step/1/",
        {
            "revision": 0,
            "action": "next",
            "areas": ["left_calf"],
            "worse_side": "left",
            "know_start": "no",
            "started-year": "2020",
            "since_range": "years_1_5",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There are 2 problems" in page
    assert (
        "You answered this, but it is only asked if you answered “Yes” to "
        "“Do you know when the twitching started?”. "
        "Clear this answer or change that one; or press Next again to leave it out."
    ) in page
    assert "only asked if you chose “Left calf” and “Right calf” for" in page
    assert 'value="2020"' in page  # what was typed stays on the page
    assert answers(invitation, "twitch_history") == {
        "areas": ["left_calf"],
        "know_start": "no",
        "since_range": "years_1_5",
    }


def test_pressing_next_again_after_being_told_leaves_the_unasked_answer_out(patient, invitation):
    """A chosen radio button cannot be unticked: once told, the patient may go on without it."""
    page = {
        "revision": 0,
        "action": "next",
        "areas": ["left_calf"],
        "know_start": "yes",
        "started-year": "2024",
        "started-month": "3",
        "since_range": "years_1_5",  # chosen before "Yes" hid it
    }
    told = patient.post("/patient/step/1/", page)
    assert told.status_code == 400
    assert 'name="unasked_told" value="since_range"' in told.content.decode()
    again = patient.post(
        "/patient/step/1/", {**page, "revision": 1, "unasked_told": ["since_range"]}
    )
    assert again.status_code == 302 and again["Location"] == "/patient/step/2/"
    stored = answers(invitation, "twitch_history")
    assert "since_range" not in stored and stored["started"] == "2024-03"


def test_other_text_without_other_chosen_is_named_not_dropped(patient, invitation):
    response = patient.post(
        "/patient/step/1/",
        {"revision": 0, "action": "next", "areas": ["left_calf"], "areas.other": "Thumb"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "You wrote this, but “Other” is not chosen. Clear this text, or choose “Other”." in page
    assert 'value="Thumb"' in page
    assert "areas.other" not in answers(invitation, "twitch_history")


def test_every_conditional_question_carries_a_cue_for_pages_without_javascript(patient):
    page = patient.get("/patient/step/1/").content.decode()
    assert "Answer only if you answered “Yes” to “Do you know when the twitching started?”." in page
    assert "Answer only if you chose “Left calf” and “Right calf” for “Where do your" in page
    assert page.count("data-cue") == page.count("data-show-if")


def test_review_lists_nothing_the_patient_was_not_asked(patient, invitation):
    patient.post(
        "/patient/step/1/",
        {
            "revision": 0,
            "action": "next",
            "areas": ["left_calf"],
            "know_start": "no",
            "since_range": "years_1_5",
            "worse_side": "left",
        },
    )
    page = patient.get("/patient/review/").content.decode()
    assert "Which calf is worse?" not in page
    assert "1 to 5 years ago" in page


def test_a_bad_number_is_explained_beside_the_field_and_in_a_summary_and_nothing_is_lost(
    patient, invitation
):
    patient.post(
        "/patient/step/3/",
        {"revision": 0, "action": "next", "other_symptoms": ["cramps"], "night_cramp_nights": "2"},
    )
    response = patient.post(
        "/patient/step/3/",
        {
            "revision": 1,
            "action": "next",
            "other_symptoms": ["cramps", "numbness"],
            "night_cramp_nights": "abc",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count("Enter a whole number from 0 to 7") == 2  # summary and beside the field
    assert 'value="abc"' in page  # what was typed is still there
    assert 'aria-invalid="true"' in page
    field = re.search(r'<input [^>]*id="f-night_cramp_nights"[^>]*>', page).group(0)
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert "f-night_cramp_nights-error" in described_by  # read out with the field
    assert '<p class="error" id="f-night_cramp_nights-error">' in page
    stored = answers(invitation, "twitch_history")
    assert stored["other_symptoms"] == ["cramps", "numbness"]  # valid answers are saved
    assert stored["night_cramp_nights"] == 2  # the earlier good value is kept


def test_a_missing_required_answer_is_named_and_other_answers_are_kept(patient, invitation):
    # Surgeries: an entry needs its kind; the rest of what was typed stays.
    response = patient.post(
        "/patient/step/8/",
        {
            "revision": 0,
            "action": "next",
            "had_surgery": "yes",
            "surgery_list-0-_id": "abc123abc123",
            "surgery_list-0-surgery_kind": "",
            "surgery_list-0-surgery_when-year": "2013",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer this question." in page
    assert 'value="2013"' in page
    assert answers(invitation, "surgeries")["had_surgery"] == "yes"


def test_back_saves_without_asking_for_required_answers(patient, invitation):
    response = patient.post(
        "/patient/step/8/", {"revision": 0, "action": "back", "had_surgery": "yes"}
    )
    assert response["Location"] == "/patient/step/7/"
    assert answers(invitation, "surgeries") == {"had_surgery": "yes"}


def test_repeating_entries_are_added_edited_removed_and_all_stored(patient, invitation):
    def post(action, rows, rev):
        data = {"revision": rev, "action": action, "had_surgery": "yes"}
        for index, (row_id, kind, year) in enumerate(rows):
            data[f"surgery_list-{index}-_id"] = row_id
            data[f"surgery_list-{index}-surgery_kind"] = kind
            data[f"surgery_list-{index}-surgery_when-year"] = year
        return patient.post("/patient/step/8/", data)

    first = post("add:surgery_list", [("aaaaaa111111", "spine_fusion", "2013")], 0)
    assert first["Location"] == "/patient/step/8/?add=surgery_list#surgery_list"
    page = patient.get(first["Location"]).content.decode()
    assert "Surgery 1: Spine fusion (joining bones of the spine), 2013" in page
    assert "Surgery 2" in page
    rows = [
        ("aaaaaa111111", "spine_fusion", "2013"),
        ("bbbbbb222222", "joint_surgery", "2019"),
        ("cccccc333333", "other", "2001"),
    ]
    post("next", rows, 1)
    stored = answers(invitation, "surgeries")["surgery_list"]
    assert [(r["_id"], r["surgery_kind"], r["surgery_when"]) for r in stored] == rows

    post("remove:surgery_list:1", rows, 2)
    stored = answers(invitation, "surgeries")["surgery_list"]
    assert [r["_id"] for r in stored] == ["aaaaaa111111", "cccccc333333"]


def test_a_revision_conflict_keeps_what_was_typed_and_says_what_happened(patient, invitation):
    patient.post("/patient/step/6/", {"revision": 0, "action": "next", "back_pain_now": "3"})
    # Another tab saved meanwhile (revision 1); this tab still has revision 0.
    response = patient.post(
        "/patient/step/6/",
        {"revision": 0, "action": "next", "back_pain_now": "7", "neck_pain_now": "2"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed in another window or on another device" in page
    assert 'value="7" checked' in page
    assert 'name="revision" value="1"' in page
    assert answers(invitation, "back_injury") == {"back_pain_now": 3}
    again = patient.post(
        "/patient/step/6/",
        {"revision": 1, "action": "next", "back_pain_now": "7", "neck_pain_now": "2"},
    )
    assert again.status_code == 302
    assert answers(invitation, "back_injury") == {"back_pain_now": 7, "neck_pain_now": 2}


def test_autosave_stores_a_page_and_returns_the_new_revision(patient, invitation):
    response = patient.post("/patient/step/6/autosave/", {"revision": 0, "back_pain_now": "5"})
    assert response.status_code == 200
    assert response.json() == {"revision": 1, "errors": {}}
    assert answers(invitation, "back_injury") == {"back_pain_now": 5}
    stale = patient.post("/patient/step/6/autosave/", {"revision": 0, "back_pain_now": "6"})
    assert stale.status_code == 409
    assert stale.json()["revision"] == 1
    assert answers(invitation, "back_injury") == {"back_pain_now": 5}


def test_a_repeated_autosave_and_next_after_it_carry_on_without_a_conflict(patient, invitation):
    first = patient.post("/patient/step/6/autosave/", {"revision": 0, "back_pain_now": "5"})
    assert first.json() == {"revision": 1, "errors": {}}
    # The reply was lost: the page still holds revision 0 and sends the same answers again.
    again = patient.post("/patient/step/6/autosave/", {"revision": 0, "back_pain_now": "5"})
    assert again.status_code == 200
    assert again.json() == {"revision": 1, "errors": {}}
    pressed = patient.post(
        "/patient/step/6/", {"revision": 0, "action": "back", "back_pain_now": "5"}
    )
    assert pressed.status_code == 302
    assert answers(invitation, "back_injury") == {"back_pain_now": 5}


def test_resume_after_the_browser_closed_continues_at_the_page_reached(patient, invitation):
    patient.post("/patient/step/1/", {"revision": 0, "action": "next", "areas": ["shin"]})
    patient.post("/patient/step/2/", {"revision": 1, "action": "next", "how_often": "daily"})
    del patient.cookies[settings.SESSION_COOKIE_NAME]  # closing the browser ends the session
    from .conftest import open_link

    open_link(patient, invitation)
    start = patient.get("/patient/").content.decode()
    assert "Continue where you left off" in start
    assert 'href="/patient/step/3/"' in start
    assert "shin" in patient.get("/patient/step/1/").content.decode()


def test_another_device_is_told_answers_exist_but_never_shown_them(patient, invitation):
    patient.post("/patient/step/1/", {"revision": 0, "action": "next", "areas": ["shin"]})
    from django.test import Client

    from .conftest import open_link

    phone = Client()
    open_link(phone, invitation)
    start = phone.get("/patient/").content.decode()
    assert "answered on another phone" not in start  # that wording is for the review page
    assert "Some of your answers were given on another phone" in start
    assert "Muscle twitching" in start
    review = phone.get("/patient/review/").content.decode()
    assert "Answer Muscle twitching again here" in review
    assert "Send my answers" not in review
    first = phone.get("/patient/step/1/").content.decode()
    assert "Muscle twitching" not in first  # its pages are not offered here
    for page in (start, review, first):
        assert "shin" not in page.lower()


def test_log_lines_never_carry_the_token(client, invitation):
    stream = io.StringIO()
    handler = next(
        h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler)
    )
    old = handler.setStream(stream)
    try:
        client.get(f"/i/{invitation.token}x/")
    finally:
        handler.setStream(old)
    logged = stream.getvalue()
    assert "Not Found: /i/[redacted]" in logged
    assert invitation.token not in logged
