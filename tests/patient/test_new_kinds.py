"""Patient pages for a body map and for choices with details, with and without JavaScript."""

import re
from datetime import date

import pytest

from intake import services
from intake.models import Response

from ..definitions import store_new_kinds
from .conftest import open_link

pytestmark = pytest.mark.django_db

WHERE, TRIED = "/patient/step/1/", "/patient/step/2/"


@pytest.fixture
def new_kinds_invitation(db):
    store_new_kinds()
    return services.create_invitation(
        patient_name="Sam Examplewood",
        date_of_birth=date(1980, 2, 3),
        questionnaire_slugs=["new_kinds"],
    )


@pytest.fixture
def patient(client, new_kinds_invitation):
    assert open_link(client, new_kinds_invitation, birth_date=("3", "2", "1980")).status_code == 302
    return client


def stored(invitation) -> dict:
    return Response.objects.get(intake=invitation.intake).answers


def revision(invitation) -> int:
    return Response.objects.get(intake=invitation.intake).revision


def test_the_body_map_page_draws_the_picture_beside_a_checkbox_list(patient):
    page = patient.get(WHERE).content.decode()
    assert page.count('type="checkbox"') == 36
    assert '<div class="body-map-picture" data-body-map="areas" hidden>' in page
    assert 'aria-hidden="true"' in page  # the list is the control screen readers use
    assert page.count("data-area=") == 34
    for words in ("Your left", "Your right", "Front", "Back"):
        assert f">{words}</text>" in page


def test_ticked_areas_are_saved_and_filled_on_the_picture(patient, new_kinds_invitation):
    response = patient.post(
        WHERE, {"revision": 0, "action": "next", "areas": ["calf_left", "achilles_right"]}
    )
    assert response.status_code == 302
    assert stored(new_kinds_invitation) == {"areas": ["calf_left", "achilles_right"]}
    page = patient.get(WHERE).content.decode()
    assert page.count('class="area is-chosen"') == 2


def details_form(**extra):
    form = {"revision": 0, "action": "next"}
    for option in ("magnesium", "stretching", "massage", "other"):
        form[f"tried-{option}-_id"] = f"{option[:3]}000000111"
    form.update(extra)
    return form


def test_each_ticked_option_keeps_its_follow_ups_with_a_stable_id(patient, new_kinds_invitation):
    form = details_form(
        **{
            "tried": ["magnesium", "massage"],
            "tried-magnesium-helped": "a_little",
            "tried-magnesium-when-month": "03",
            "tried-magnesium-when-year": "2024",
            "tried-massage-helped": "worse",
            "tried-massage-how_worse": "Sore the next day",
        }
    )
    assert patient.post(TRIED, form).status_code == 302
    assert stored(new_kinds_invitation) == {
        "tried": ["magnesium", "massage"],
        "tried.details": {
            "magnesium": {"_id": "mag000000111", "helped": "a_little", "when": "2024-03"},
            "massage": {"_id": "mas000000111", "helped": "worse", "how_worse": "Sore the next day"},
        },
    }


def template_of(page: str, item_id: str) -> str:
    found = re.search(f'<template data-details-template="{item_id}">(.*?)</template>', page, re.S)
    return found.group(1)


def test_a_page_holds_one_template_of_follow_ups_and_no_block_before_a_tick(patient):
    page = patient.get(TRIED).content.decode()
    assert page.count('<fieldset class="details"') == 1  # the template's
    template = template_of(page, "tried")
    assert page.index('id="f-tried-other"') < page.index(template)
    assert 'id="f-tried-__OPTION__-details" data-details-for="f-tried-__OPTION__"' in template
    assert "About “__LABEL__”" in template and "(only if you ticked it)" in template
    assert 'name="tried-__OPTION__-_id" value="__ROW_ID__"' in template
    for name in ("helped", "when-year", "how_worse"):
        assert f'name="tried-__OPTION__-{name}"' in template
    assert 'value="clear:tried:__OPTION__"' in template  # the warning the script shows


def test_the_follow_ups_of_ticked_options_follow_the_list_under_each_option_name(
    patient, new_kinds_invitation
):
    form = details_form(tried=["magnesium", "other"], **{"tried.other": "Cold showers"})
    form.update({"tried-magnesium-helped": "a_lot", "tried-other-helped": "no"})
    assert patient.post(TRIED, form).status_code == 302
    page = patient.get(TRIED).content.decode()
    blocks = page[: page.index("<template")]
    assert blocks.count('<fieldset class="details"') == 2
    assert page.index('id="f-tried-other"') < page.index("About “Magnesium”")
    assert page.index("About “Magnesium”") < page.index("About “Something else”")
    assert 'name="tried-magnesium-_id" value="mag000000111"' in blocks
    assert 'name="tried-other-helped" value="no" checked' in blocks
    assert "tried-stretching-" not in page and "tried-massage-" not in page
    assert "details-warning" not in blocks  # both are ticked


ASK = "Please tell us a little more about what you ticked (below)."


def test_next_after_ticking_options_whose_follow_ups_were_not_shown_saves_and_asks_them(
    patient, new_kinds_invitation
):
    # A page drawn with nothing ticked, sent by a browser without JavaScript: no blocks on it.
    form = {"revision": 0, "action": "next", "tried": ["magnesium", "other"]}
    form["tried.other"] = "Cold showers"
    response = patient.post(TRIED, form)
    assert response.status_code == 200  # the same page, not the next
    page = response.content.decode()
    assert "<h1>What you have tried</h1>" in page
    assert f'<div class="notice-box" role="alert" tabindex="-1" data-focus><p>{ASK}</p>' in page
    assert f'<p class="note" id="f-tried-note">{ASK}</p>' in page  # and by the question
    assert 'aria-describedby="f-tried-note f-tried-help"' in page
    assert "Please answer this question." not in page  # not asked yet: no error for it
    assert 'value="Cold showers"' in page  # nothing typed is lost
    blocks = page[: page.index("<template")]
    assert blocks.count('<fieldset class="details"') == 2
    assert 'name="tried-magnesium-helped"' in blocks and 'name="tried-other-helped"' in blocks
    saved = stored(new_kinds_invitation)
    assert saved["tried"] == ["magnesium", "other"] and saved["tried.other"] == "Cold showers"
    row_id = saved["tried.details"]["magnesium"]["_id"]
    assert f'name="tried-magnesium-_id" value="{row_id}"' in blocks  # the id kept from now on

    answered = {
        "revision": revision(new_kinds_invitation),
        "action": "next",
        "tried": ["magnesium", "other"],
        "tried.other": "Cold showers",
        "tried-magnesium-_id": row_id,
        "tried-magnesium-helped": "a_little",
        "tried-other-_id": saved["tried.details"]["other"]["_id"],
        "tried-other-helped": "no",
    }
    response = patient.post(TRIED, answered)
    assert response.status_code == 302 and response["Location"] == "/patient/review/"
    details = stored(new_kinds_invitation)["tried.details"]
    assert details["magnesium"] == {"_id": row_id, "helped": "a_little"}
    assert details["other"]["helped"] == "no"


def test_a_second_tick_asks_again_and_a_required_follow_up_is_asked_after_it_was_shown(
    patient, new_kinds_invitation
):
    form = details_form(tried=["magnesium"], **{"tried-magnesium-helped": "a_lot"})
    form = {key: value for key, value in form.items() if not key.endswith("-_id")}
    form["tried-magnesium-_id"] = "mag000000111"  # only Magnesium's block was on the page
    form["tried"] = ["magnesium", "massage"]
    response = patient.post(TRIED, form)
    assert response.status_code == 200
    assert ASK in response.content.decode()
    assert stored(new_kinds_invitation)["tried.details"]["magnesium"]["helped"] == "a_lot"

    shown = details_form(revision=revision(new_kinds_invitation), tried=["magnesium", "massage"])
    shown["tried-magnesium-helped"] = "a_lot"
    response = patient.post(TRIED, shown)  # Massage's block was on the page, unanswered
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#f-tried-massage-helped"' in page and ASK not in page


def test_back_and_finish_later_save_a_new_tick_and_leave_as_before(patient, new_kinds_invitation):
    back = {"revision": 0, "action": "back", "tried": ["stretching"]}
    response = patient.post(TRIED, back)
    assert response.status_code == 302 and response["Location"] == WHERE
    assert stored(new_kinds_invitation)["tried"] == ["stretching"]
    page = patient.get(TRIED).content.decode()
    assert 'name="tried-stretching-helped"' in page  # shown when the page is next drawn

    later = {"revision": revision(new_kinds_invitation), "action": "later"}
    later["tried"] = ["stretching", "massage"]
    response = patient.post(TRIED, later)
    assert response.status_code == 302 and response["Location"] == "/patient/later/"
    assert stored(new_kinds_invitation)["tried"] == ["stretching", "massage"]


def test_a_problem_on_the_page_is_shown_with_the_new_follow_ups_and_the_note(
    patient, new_kinds_invitation
):
    form = {"revision": 0, "action": "next", "tried": ["magnesium", "other"]}
    form["tried.other"] = "x" * 201
    response = patient.post(TRIED, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#f-tried-other-text"' in page  # the problem, in the summary
    assert f'<p class="note" id="f-tried-note">{ASK}</p>' in page
    assert 'name="tried-magnesium-helped"' in page and 'name="tried-other-helped"' in page
    assert 'value="' + "x" * 201 + '"' in page  # kept on the page to be corrected


def test_ticks_refused_as_a_whole_ask_for_no_follow_ups(patient, new_kinds_invitation):
    form = {"revision": 0, "action": "next", "tried": ["magnesium", "nonsense"]}
    response = patient.post(TRIED, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose from the answers shown." in page
    assert ASK not in page  # nothing ticked was stored


def test_a_required_follow_up_is_asked_for_each_ticked_option(patient, new_kinds_invitation):
    response = patient.post(TRIED, details_form(tried=["magnesium", "stretching"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Please answer this question.") == 4  # summary and field, twice
    assert 'href="#f-tried-magnesium-helped"' in page
    assert 'href="#f-tried-stretching-helped"' in page


def test_unticking_an_option_with_answers_returns_the_page_and_keeps_them(
    patient, new_kinds_invitation
):
    form = details_form(tried=["magnesium"], **{"tried-magnesium-helped": "a_lot"})
    assert patient.post(TRIED, form).status_code == 302
    unticked = details_form(revision=revision(new_kinds_invitation), tried=[])
    unticked["tried-magnesium-helped"] = "a_lot"
    response = patient.post(TRIED, unticked)
    assert response.status_code == 400
    page = response.content.decode()
    assert "You gave details for “Magnesium”, but it is not ticked." in page
    assert "“Magnesium” is not ticked. Tick it again to keep these answers" in page
    assert stored(new_kinds_invitation)["tried.details"]["magnesium"]["helped"] == "a_lot"


def test_clearing_an_unticked_options_answers_saves_without_them(patient, new_kinds_invitation):
    form = details_form(tried=["magnesium"], **{"tried-magnesium-helped": "a_lot"})
    assert patient.post(TRIED, form).status_code == 302
    cleared = details_form(revision=revision(new_kinds_invitation), action="clear:tried:magnesium")
    cleared["tried-magnesium-helped"] = "a_lot"
    response = patient.post(TRIED, cleared)
    assert response.status_code == 302
    assert stored(new_kinds_invitation) == {}


def test_the_review_page_lists_each_option_with_its_follow_ups(patient, new_kinds_invitation):
    patient.post(WHERE, {"revision": 0, "action": "next", "areas": ["calf_right"]})
    form = details_form(
        revision=revision(new_kinds_invitation),
        tried=["stretching"],
        **{"tried-stretching-helped": "too_soon"},
    )
    assert patient.post(TRIED, form).status_code == 302
    page = patient.get("/patient/review/").content.decode()
    assert "<dt>Tried</dt><dd>Stretching</dd>" in page
    assert "<dt>Helped</dt><dd>Too soon to tell</dd>" in page
    assert "Body picture, front and back, with these areas filled: Right calf." in page


def test_a_missing_follow_up_is_named_by_its_option_on_the_review_page(
    patient, new_kinds_invitation
):
    patient.post(WHERE, {"revision": 0, "action": "next", "areas": ["calf_right"]})
    form = details_form(revision=revision(new_kinds_invitation), tried=["massage"], action="back")
    patient.post(TRIED, form)
    page = patient.get("/patient/review/").content.decode()
    assert "Twitching and what you tried: Massage: Did it help?" in page


def test_the_body_map_page_with_its_css_and_script_stays_under_60_kb(patient, settings):
    assets = sum(
        (settings.BASE_DIR / "intake" / "static" / "intake" / name).stat().st_size
        for name in ("intake.css", "intake.js")
    )
    page = patient.get(WHERE).content
    assert len(page) + assets <= 60 * 1024, f"page {len(page)} B + assets {assets} B"
    assert len(page) > 12_000  # the picture and the 36 areas of the list are on it
