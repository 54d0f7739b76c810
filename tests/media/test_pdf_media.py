"""The summary PDF lists each photo and video with its poster frame and where to watch it."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from weasyprint.urls import URLFetchingError

from intake.media import services
from intake.media.tasks import process_media
from intake.services import submit_intake
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import FETCHER, render_pdf
from intake.summary.service import summary_pdf

from ..pdf_text import pdf_words
from . import samples
from .conftest import upload_of

pytestmark = pytest.mark.django_db(transaction=True)


def _images(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


def test_pdf_lists_the_video_with_its_poster_and_where_to_watch_it(video):
    pdf = render_pdf(render_document_html(intake_document(video.intake)))
    text = pdf_words(pdf)
    assert "Photos and videos the patient sent" in text
    assert "Video, 1 s · sent" in text
    assert f"/clinic/intakes/{video.intake_id}/summary/" in text.replace(" ", "")
    assert _images(pdf) >= 1


def test_fetcher_reads_poster_frames_but_no_other_stored_file(video):
    assert FETCHER.allowed_path(Path(video.poster.path).as_uri()) is not None
    for other in (Path(video.file.path), Path(video.poster.path).with_name("video.mp4")):
        with pytest.raises(URLFetchingError):
            FETCHER.fetch(other.as_uri())
    with pytest.raises(URLFetchingError):
        FETCHER.fetch("file:///etc/passwd")


def test_a_video_still_processing_at_submission_is_listed_and_the_pdf_kept_once_it_is_done(
    open_intake, monkeypatch
):
    # No worker has taken the file yet when the patient sends their answers.
    monkeypatch.setattr(services, "_enqueue", lambda media_id: None)
    media = services.upload_media(
        intake=open_intake,
        questionnaire_slug="twitch_history",
        item_id="twitch_video",
        uploaded=upload_of(samples.video_bytes(seconds=1.0)),
    )
    intake = submit_intake(intake=open_intake)
    intake.refresh_from_db()
    assert not intake.summary_pdf  # not kept at submission: it would say "processing" for good

    downloaded = pdf_words(summary_pdf(intake))
    assert "was still being processed when this PDF was made" in downloaded
    intake.refresh_from_db()
    assert not intake.summary_pdf  # nor kept by a download

    assert process_media(str(media.pk)) == "ready"  # the worker; it then keeps the PDF
    intake.refresh_from_db()
    assert intake.summary_pdf
    with intake.summary_pdf.open("rb") as kept:
        text = pdf_words(kept.read())
    assert "Video, 1 s · sent" in text
    assert "still being processed" not in text


def test_a_file_that_could_not_be_used_is_listed_as_such(open_intake):
    services.upload_media(
        intake=open_intake,
        questionnaire_slug="twitch_history",
        item_id="twitch_video",
        uploaded=upload_of(b"not a video at all, only words" * 10, "clip.mp4", "video/mp4"),
    )
    text = pdf_words(render_pdf(render_document_html(intake_document(open_intake))))
    assert "could not be used (the patient was shown why)" in text
