"""Review and submit: every answer listed with Change links, missing items named, one submission."""

import html
import re

import pytest

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.media.models import MediaFile
from intake.models import AuditEvent, Intake, Response

pytestmark = pytest.mark.django_db


def fill_all(invitation):
    for response in invitation.intake.responses.select_related("intake", "questionnaire_version"):
        services.save_answers(
            response=response,
            answers=DEMO_ANSWERS[response.questionnaire_version.slug],
            revision=response.revision,
        )


def test_review_lists_every_answer_by_questionnaire_with_change_links(patient, invitation):
    fill_all(invitation)
    page = patient.get("/patient/review/").content.decode()
    titles = ("Muscle twitching", "Back and neck", "Surgeries", "Medicines", "About your health")
    for title in titles:
        assert title in page
    for text in (
        "Left big toe joint",
        "They said there was a bulge at L5-S1.",
        "Warehouse supervisor",
        "Microdiscectomy",
        "Right knee arthroscopy",
        "Gabapentin",
        "Ibuprofen",
        "Atorvastatin",
        "Penicillin",
        "L5-S1",
        "March 2024",
        "6 / 10",
        "Not sure",
    ):
        assert text in page, text
    assert page.count(">Change<") == 22
    assert 'href="/patient/step/11/"' in page  # surgeries begin on page 11


def test_review_names_a_missing_required_item_and_links_to_its_page(patient, invitation):
    response = invitation.intake.responses.get(questionnaire_version__slug="medications")
    services.save_answers(
        response=response,
        answers={"takes_medicines": "yes", "medicines": [{"medicine_dose": "5 mg"}]},
        revision=0,
    )
    page = patient.get("/patient/review/").content.decode()
    assert "1 question needs an answer before you can send" in page
    missing = "Medicines and supplements: Medicine 1: Name of the medicine"
    assert f'<a href="/patient/step/14/">{missing}</a>' in page
    submit = patient.post("/patient/submit/")
    assert submit["Location"] == "/patient/review/?incomplete=1"
    assert Intake.objects.get(pk=invitation.intake.pk).status != Intake.Status.SUBMITTED
    assert Response.objects.get(pk=response.pk).answers["medicines"][0]["medicine_dose"] == "5 mg"


def test_submit_twice_records_one_submission_and_then_the_link_shows_only_thanks(
    client, patient, invitation
):
    fill_all(invitation)
    first = patient.post("/patient/submit/")
    second = patient.post("/patient/submit/")
    assert first["Location"] == second["Location"] == "/patient/done/"
    assert AuditEvent.objects.filter(action="intake_submitted").count() == 1
    thanks = patient.get("/patient/done/").content.decode()
    assert "Thank you" in thanks
    assert "Gabapentin" not in thanks
    assert patient.get("/patient/review/")["Location"] == "/patient/done/"
    again = client.get(f"/i/{invitation.token}/").content.decode()
    assert "Thank you" in again
    for private in ("Robin", "Gabapentin", "Penicillin", "Microdiscectomy"):
        assert private not in again


def test_pages_with_answers_are_never_cached(patient, invitation):
    fill_all(invitation)
    for url in ("/patient/", "/patient/step/1/", "/patient/review/"):
        assert "no-store" in patient.get(url)["Cache-Control"], url


def test_a_missing_answer_inside_an_entry_is_named_by_entry_and_question(patient, invitation):
    response = invitation.intake.responses.get(questionnaire_version__slug="surgeries")
    services.save_answers(
        response=response,
        answers={"had_surgery": "yes", "surgery_list": [{"surgery_when": "2013"}]},
        revision=0,
    )
    page = patient.get("/patient/review/").content.decode()
    assert "Surgeries and procedures: Surgery 1: What kind of surgery was it?" in page


def test_an_other_text_error_links_to_the_text_box(patient):
    response = patient.post(
        "/patient/step/1/",
        {"revision": 0, "action": "next", "areas": ["other"], "areas.other": "x" * 201},
    )
    page = response.content.decode()
    assert 'href="#f-areas-other-text"' in page
    assert 'id="f-areas-other-text"' in page


CHANGE_LINK = re.compile(
    r'<a href="([^"]+)" class="change-link">Change<span class="visually-hidden"> ([^<]+)</span>'
)


def test_every_change_link_opens_the_page_of_the_section_it_changes(patient, invitation):
    fill_all(invitation)
    page = patient.get("/patient/review/").content.decode()
    links = CHANGE_LINK.findall(page)
    assert len(links) == page.count(">Change<") == 22
    assert [href for href, _ in links] == [f"/patient/step/{n}/" for n in range(1, 23)]
    for href, section_title in links:
        step = patient.get(href)
        assert step.status_code == 200, href
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", step.content.decode(), re.S).group(1)
        assert html.unescape(section_title) in html.unescape(heading), (href, heading)


def _sent(invitation, item_id: str, **fields) -> MediaFile:
    return MediaFile.objects.create(
        intake=invitation.intake, questionnaire_slug="twitch_history", item_id=item_id, **fields
    )


def _review_section(page: str, title: str) -> str:
    """Return the HTML of the review page's section headed `title`."""
    for block in page.split('<div class="review-section">')[1:]:
        if f"<h3>{title}</h3>" in block:
            return block
    raise AssertionError(f"no section {title!r}")


def _listed(block: str) -> list[str]:
    """Return the answers of a review section as (question, items) read from its lists."""
    return re.findall(r"<dt>([^<]*)</dt><dd><ul>(.*?)</ul></dd>", block)


def test_review_lists_the_photos_and_videos_sent_in_the_section_that_asked(patient, invitation):
    _sent(invitation, "twitch_video", status="ready", kind="video", duration_seconds=12.4)
    _sent(invitation, "twitch_video", status="refused", kind="video", refusal_code="too_long")
    _sent(invitation, "twitch_photos", status="ready", kind="photo")
    _sent(invitation, "twitch_photos", status="processing")
    page = patient.get("/patient/review/").content.decode()
    pattern = _review_section(page, "How often and when")
    assert _listed(pattern) == [
        (
            "If you can, film the twitching with your phone (up to 60 seconds).",
            "<li>Video, 12 s</li><li>Could not be used</li>",
        ),
        ("Photos of the area, if they help", "<li>Photo</li><li>Processing…</li>"),
    ]
    change = CHANGE_LINK.search(pattern).group(1)
    assert "How often and when" in patient.get(change).content.decode()
    assert page.count("Video, 12 s") == 1  # in that section only


def test_a_media_question_left_empty_is_not_listed(patient, invitation):
    page = patient.get("/patient/review/").content.decode()
    assert "film the twitching" not in page and "Photos of the area" not in page

    _sent(invitation, "twitch_photos", status="ready", kind="photo")
    page = patient.get("/patient/review/").content.decode()
    assert "Photos of the area, if they help" in page
    assert "film the twitching" not in page


def test_the_files_sent_are_listed_in_spanish(patient, invitation):
    _sent(invitation, "twitch_video", status="ready", kind="video", duration_seconds=7)
    _sent(invitation, "twitch_video", status="uploaded")
    _sent(invitation, "twitch_photos", status="ready", kind="photo")
    _sent(invitation, "twitch_photos", status="refused", refusal_code="not_media")
    patient.get("/patient/language/es/")
    page = patient.get("/patient/review/").content.decode()
    pattern = _review_section(page, "Con qué frecuencia y cuándo")
    assert _listed(pattern) == [
        (
            "Si puede, grabe los espasmos con su teléfono (hasta 60 segundos).",
            "<li>Video de 7 s</li><li>Procesando…</li>",
        ),
        ("Fotos de la zona, si le parecen útiles", "<li>Foto</li><li>No se pudo usar</li>"),
    ]
    assert ">Cambiar<" in pattern
