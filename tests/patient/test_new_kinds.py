"""Patient pages for a body map and for choices with details, with and without JavaScript."""

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


def test_the_follow_ups_follow_the_list_under_each_option_name(patient):
    page = patient.get(TRIED).content.decode()
    assert page.index('id="f-tried-other"') < page.index("About “Magnesium”")
    assert page.count('<fieldset class="details"') == 4
    assert 'name="tried-stretching-helped"' in page


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
