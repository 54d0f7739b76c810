"""The PDF: every answer, key items, a header on every page, and nothing fetched."""

import hashlib
import io
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
import time_machine

from intake import services
from intake.demo import DEMO_ANSWERS
from intake.models import Intake
from intake.summary.answers import answer_text
from intake.summary.document import intake_document, render_document_html
from intake.summary.pdf import STATIC_DIR, SafeFetcher, render_pdf
from intake.summary.service import summary_pdf

from ..conftest import ROOT

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
    '<style>@import url("http://169.254.169.254/latest");</style>'
    '<img src="http://127.0.0.1:9/x.png"><object data="file:///dev/urandom"></object>'
)


def pdf_text(pdf: bytes) -> tuple[list[str], pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


def expected_answers(intake):
    """Every answer of the demo intake as the summary words it, entries included."""
    texts = []
    for response in intake.responses.select_related("questionnaire_version"):
        questionnaire = response.questionnaire_version.questionnaire
        index = questionnaire.item_index()
        for key, value in response.answers.items():
            if "." in key:
                continue
            item = index[key]
            if item.type == "group":
                for entry in value:
                    for child_id in entry:
                        if child_id != "_id":
                            child = index[child_id]
                            texts.append(answer_text(child, entry))
            else:
                texts.append(answer_text(item, response.answers))
    flat = []
    for text in texts:
        flat += text if isinstance(text, list) else [text]
    return flat


@pytest.fixture
def demo_pdf(demo_render):
    return demo_render.pdf  # rendered once for the tests that only read it


def test_the_demo_pdf_holds_every_answer(submitted_intake, demo_pdf):
    pages, _ = pdf_text(demo_pdf)
    whole = " ".join(pages)
    missing = [t for t in expected_answers(submitted_intake) if " ".join(t.split()) not in whole]
    assert not missing, missing
    assert len(expected_answers(submitted_intake)) > 100


def test_key_items_are_listed_first_with_the_patients_answers(demo_pdf):
    first_page = pdf_text(demo_pdf)[0][0]
    key_part = first_page.split("Key items", 1)[1].split("Muscle twitching", 1)[0]
    assert "bladder or bowel control? No" in key_part
    assert "groin or inner thighs? Not sure" in key_part


def test_every_page_has_the_header_and_the_footer_and_the_page_count_is_two_to_four(demo_pdf):
    pages, reader = pdf_text(demo_pdf)
    # No more pages than the version 1 demo printed on (4), though version 2 asks more: a body map
    # pictured At a glance is not drawn again, lists of choices run in two columns (pdf.css).
    assert 2 <= len(pages) <= 4
    for number, text in enumerate(pages, start=1):
        assert "Casey Placeholder · born 27 Feb 1966" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "This summary contains no diagnosis or treatment recommendation." in text
    first = pages[0]
    for fact in ("CHART-42", "Submitted", "Muscle twitching v1", "Medicines and supplements v1"):
        assert fact in first


def test_submitted_pdf_is_kept_and_served_again_with_its_hash(submitted_intake):
    demo_pdf = summary_pdf(submitted_intake)
    intake = Intake.objects.get(pk=submitted_intake.pk)
    assert intake.summary_pdf_sha256 == hashlib.sha256(demo_pdf).hexdigest()
    with intake.summary_pdf.open("rb") as stored:
        assert stored.read() == demo_pdf
    assert summary_pdf(intake) == demo_pdf


def test_a_draft_is_marked_and_not_kept(invitation):
    pdf = summary_pdf(invitation.intake)
    assert "DRAFT: not submitted" in pdf_text(pdf)[0][0]
    assert not Intake.objects.get(pk=invitation.intake.pk).summary_pdf


class SpyFetcher(SafeFetcher):
    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


def test_hostile_answers_print_as_text_and_nothing_is_fetched(invitation):
    response = invitation.intake.responses.select_related("intake", "questionnaire_version").get(
        questionnaire_version__slug="medications"
    )
    services.save_answers(
        response=response,
        answers={
            "takes_medicines": "yes",
            "medicines": [{"medicine_name": '<img src="file:///etc/passwd">', "medicine_for": "x"}],
            "has_allergies": "yes",
            "allergies": [
                {
                    "allergy_substance": "<b>bold</b> & <i>co</i>",
                    "allergy_reaction": "http://127.0.0.1:9/",
                }
            ],
        },
        revision=0,
    )
    twitch = invitation.intake.responses.select_related("intake", "questionnaire_version").get(
        questionnaire_version__slug="twitch_history"
    )
    services.save_answers(response=twitch, answers={"anything_else": HOSTILE}, revision=0)
    spy = SpyFetcher()
    html = render_document_html(intake_document(Intake.objects.get(pk=invitation.intake.pk)))
    assert "<img" not in html.split("<body>")[1].replace("&lt;img", "")
    pdf = render_pdf(html, url_fetcher=spy)
    text, reader = pdf_text(pdf)
    whole = "".join("".join(text).split())
    assert '<imgsrc="file:///etc/passwd">' in whole
    assert "<b>bold</b>&<i>co</i>" in whole
    assert "http://127.0.0.1:9/" in whole
    assert '@importurl("http://169.254.169.254/latest");' in whole
    assert spy.asked == []
    assert not reader.attachments
    assert b"/EmbeddedFile" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "https://example.org/x.css",
        "http://127.0.0.1:9/",
        "file:///dev/urandom",
        "file:///etc/passwd",
        f"file://{STATIC_DIR}/../../settings.py",
        "data:text/css,body{color:red}",
        "ftp://example.org/x",
    ],
)
def test_the_fetcher_refuses_everything_outside_the_static_folder(url):
    assert SafeFetcher().allowed_path(url) is None
    with pytest.raises(Exception, match="refused"):
        SafeFetcher().fetch(url)


def test_the_fetcher_serves_the_apps_own_static_files():
    response = SafeFetcher().fetch((STATIC_DIR / "pdf.css").as_uri())
    assert b"@page" in response.read()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_demo_pdf_pages_as_images_for_a_human_to_look_at(demo_pdf):
    out = ROOT / "build" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo-summary.pdf").write_bytes(demo_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(out / "demo-summary.pdf"), str(out / "page")],
        check=True,
    )
    assert (out / "page-1.png").stat().st_size > 10_000


def test_the_footer_on_every_page_dates_the_answers_by_the_clinics_day_of_submission(
    questionnaires, settings
):
    settings.TIME_ZONE = "America/Toronto"
    evening_in_toronto = datetime(2026, 11, 25, 4, 0, tzinfo=ZoneInfo("UTC"))  # 24 Nov, 23:00
    with time_machine.travel(evening_in_toronto, tick=False):
        invitation = services.create_invitation(
            patient_name="Casey Placeholder", date_of_birth=date(1966, 2, 27)
        )
        for response in invitation.intake.responses.select_related(
            "intake", "questionnaire_version"
        ):
            services.save_answers(
                response=response,
                answers=DEMO_ANSWERS[response.questionnaire_version.slug],
                revision=0,
            )
        intake = services.submit_intake(intake=invitation.intake)
    with time_machine.travel(datetime(2026, 12, 9, 9, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        pages, _ = pdf_text(summary_pdf(intake))  # printed two weeks later
    for text in pages:
        assert "Patient-reported answers collected on 24 Nov 2026." in text
