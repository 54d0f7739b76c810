"""A patient films the twitching: the video goes through the file input, the thumbnail shows.

With JavaScript the file is sent on its own with progress; without, it goes with Next. Tasks
run in process (no REDIS_URL), so processing is done when the upload's answer comes back.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from intake.media.models import MediaFile
from intake.patient import flow

from ..media import samples
from .patient_pages import Patient

pytestmark = pytest.mark.browser

HEADING = "How often and when"


def _pattern_step(intake) -> int:
    steps = flow.steps_of(flow.responses_of(intake), "")
    return next(step.number for step in steps if step.section.title == HEADING)


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "IMG_2024.MOV"
    path.write_bytes(samples.video_bytes(seconds=1.0))
    return path


@pytest.mark.parametrize("javascript", [True, False], ids=["with_js", "without_js"])
def test_video_attached_through_the_file_input_shows_its_thumbnail(
    invite, new_phone, clip, javascript
):
    invitation, link = invite()
    patient = Patient(new_phone(javascript=javascript), link, invitation.intake.date_of_birth)
    patient.sign_in()
    number = _pattern_step(invitation.intake)
    patient.go_to_step(number, HEADING)
    assert patient.page.viewport_size == {"width": 390, "height": 844}

    patient.page.set_input_files("#f-twitch_video", str(clip))
    if not javascript:
        patient.press("next")  # the file goes with the form
        patient.go_to_step(number, HEADING)

    thumbnail = patient.page.locator("[data-media-item=twitch_video] img.media-thumbnail")
    expect(thumbnail).to_be_visible()
    expect(patient.page.locator("[data-media-item=twitch_video]")).to_contain_text(
        "Video, 1 s: received."
    )
    loaded = thumbnail.evaluate("img => img.complete && img.naturalWidth")
    assert loaded > 0
    media = MediaFile.objects.get(intake=invitation.intake)
    assert media.status == MediaFile.Status.READY and media.kind == "video"


def test_interrupted_upload_can_be_retried_without_losing_the_pages_answers(
    invite, new_phone, clip
):
    invitation, link = invite()
    patient = Patient(new_phone(), link, invitation.intake.date_of_birth)
    patient.sign_in()
    number = _pattern_step(invitation.intake)
    patient.go_to_step(number, HEADING)
    patient.choose("how_often", "daily")
    failures = []

    def drop_first(route):
        if not failures:
            failures.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    patient.page.route("**/media/twitch_video/", drop_first)
    patient.page.set_input_files("#f-twitch_video", str(clip))
    item = patient.page.locator("[data-media-item=twitch_video]")
    expect(item).to_contain_text("The upload was interrupted. Your other answers are still here.")
    assert not MediaFile.objects.exists()

    item.get_by_role("button", name="Try again").click()
    expect(item.locator("img.media-thumbnail")).to_be_visible()
    expect(patient.page.locator("#f-how_often-daily")).to_be_checked()
    assert len(failures) == 1 and MediaFile.objects.count() == 1
