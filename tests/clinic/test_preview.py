"""Staff preview of loaded questionnaire versions: every page as patients see it, nothing stored."""

import pytest

from intake.catalog import store_definitions
from intake.models import AuditEvent, Intake, QuestionnaireVersion, Response
from intake.questionnaires.loader import load_file

from ..conftest import DEFS

pytestmark = pytest.mark.django_db

FIRST_PAGE = "/clinic/questionnaires/twitch_history/1/preview/1/"


@pytest.fixture
def second_version(questionnaires, tmp_path):
    changed = tmp_path / "surgeries.yaml"
    text = (DEFS / "surgeries.yaml").read_text()
    changed.write_text(text.replace("title:", "title: Changed", 1))
    store_definitions([load_file(changed)])
    return QuestionnaireVersion.objects.get(slug="surgeries", version=2)


@pytest.mark.parametrize("role", ["clinician", "front_desk"])
def test_staff_in_either_role_see_every_loaded_version_with_a_preview_link(
    client, request, role, second_version
):
    client.force_login(request.getfixturevalue(role))
    page = client.get("/clinic/questionnaires/").content.decode()
    for slug in ("twitch_history", "back_injury", "medications"):
        assert f'href="/clinic/questionnaires/{slug}/1/preview/1/"' in page
    assert "Muscle twitching, version 1" in page
    assert 'href="/clinic/questionnaires/surgeries/1/preview/1/"' in page
    assert 'href="/clinic/questionnaires/surgeries/2/preview/1/"' in page


@pytest.mark.parametrize("role", ["clinician", "front_desk"])
def test_a_page_shows_as_the_patient_sees_it_under_a_preview_banner(
    client, request, role, questionnaires
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(FIRST_PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — nothing is saved." in page
    assert "Where do your muscles twitch or jump" in page
    assert 'name="areas" value="calf_left"' in page
    assert (
        "Answer only if you answered “Only in the past” to "
        "“Does the twitching happen now, or only in the past?”." in page
    )
    assert 'href="/clinic/questionnaires/twitch_history/1/preview/2/">Next page' in page


def test_every_page_of_every_version_opens(client, clinician, questionnaires):
    client.force_login(clinician)
    for version in QuestionnaireVersion.objects.all():
        for number in range(1, len(version.questionnaire.sections) + 1):
            url = f"/clinic/questionnaires/{version.slug}/{version.version}/preview/{number}/"
            assert client.get(url).status_code == 200, url


def test_a_checked_page_shows_its_messages_and_stores_nothing(client, clinician, questionnaires):
    client.force_login(clinician)
    client.get(FIRST_PAGE)  # the first signed-in request stamps the session
    session_before = dict(client.session.items())
    counts = (AuditEvent.objects.count(), Intake.objects.count(), Response.objects.count())
    response = client.post(
        FIRST_PAGE,
        {"areas": ["calf_left"], "happening_now": "now", "stopped_when-year": "2020"},
    )
    page = response.content.decode()
    assert "You answered this, but it is only asked if you answered “Only in the past” to" in page
    assert 'value="2020"' in page
    assert "There is a problem" in page
    assert (AuditEvent.objects.count(), Intake.objects.count(), Response.objects.count()) == counts
    assert dict(client.session.items()) == session_before


def test_a_page_with_no_problems_says_so_and_still_stores_nothing(
    client, clinician, questionnaires
):
    client.force_login(clinician)
    events = AuditEvent.objects.count()
    response = client.post(FIRST_PAGE, {"areas": ["calf_left"], "happening_now": "now"})
    assert "No problems on this page. Nothing was saved." in response.content.decode()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "url",
    [
        "/clinic/questionnaires/twitch_history/9/preview/1/",
        "/clinic/questionnaires/nope/1/preview/1/",
        "/clinic/questionnaires/twitch_history/1/preview/99/",
        "/clinic/questionnaires/twitch_history/1/preview/0/",
    ],
)
def test_an_unknown_version_or_page_is_not_found(client, clinician, questionnaires, url):
    client.force_login(clinician)
    assert client.get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, questionnaires):
    response = client.get(FIRST_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
