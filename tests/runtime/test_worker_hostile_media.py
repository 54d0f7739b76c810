"""Hostile files sent to the running service are refused by a real task worker, which stays up.

One gunicorn, one Celery worker and a Redis of the test's own, on PostgreSQL (skipped on SQLite,
see conftest). A patient sends, through the page's per-file upload, a text file, an HLS playlist
pointing at a loopback listener, a ZIP, a truncated MP4 and concat lists naming the listener and
a local file, each named as a phone video, and a PNG declaring 20000x20000 pixels: the worker
refuses each with its reason and opens nothing they name. It then
processes a real phone video: one hostile file must not cost the next patient their worker.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
import requests
from django.core.files.storage import default_storage

from intake.media.models import PENDING, MediaFile

from ..media import samples
from ..media.listener import Listener
from . import gunicorn_process as gunicorn
from . import worker_process

# One worker at a time (pytest-xdist), as the other tests that start servers; see
# test_two_processes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("servers")]

WORKER_NAME = "hostile"
# The success line Celery's worker logs for each task it ran, with what the task returned.
SUCCEEDED = re.compile(r"process_media\[[0-9a-f-]+\] succeeded in [0-9.]+s: '(\w+)'")


@pytest.fixture
def server(service_env) -> Iterator[str]:
    process, url = gunicorn.start(service_env)
    try:
        gunicorn.wait_until_up(process, url)
        yield url
    finally:
        if process.poll() is None:
            gunicorn.stop(process)


@pytest.fixture
def worker(service_env, start_worker, tmp_path):
    log = tmp_path / "worker.log"
    process = start_worker(service_env, log, WORKER_NAME)
    worker_process.wait_for(log, " ready.", process)
    return process, log


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def _log(log: Path) -> str:
    """The worker's log, for an assertion's message: a failure shows what the worker did."""
    return f"worker log {log.name}:\n{log.read_text(errors='replace')}"


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _patient(base: str, token: str) -> requests.Session:
    """Open the invitation link and confirm the date of birth, as the patient does."""
    patient = requests.Session()
    assert patient.get(f"{base}/i/{token}/").url.endswith("/patient/verify/")
    page = f"{base}/patient/verify/"
    verified = patient.post(
        page,
        data={
            "day": "30",
            "month": "6",
            "year": "1975",
            "csrfmiddlewaretoken": _csrf(patient.get(page).text),
        },
        headers={"Referer": page},
        allow_redirects=False,
    )
    assert verified.status_code == 302
    return patient


def _pattern_step(patient: requests.Session, base: str) -> int:
    """Find the number of the twitching questionnaire's page with the video and photo questions."""
    for number in range(1, 40):
        page = patient.get(f"{base}/patient/step/{number}/")
        if page.status_code == 200 and "How often and when" in page.text:
            return number
    raise AssertionError("no twitching pattern page")


def _send(patient, base: str, step: int, item_id: str, name: str, data: bytes, kind: str) -> str:
    """Send one file as the page's script does; return its id."""
    page = f"{base}/patient/step/{step}/"
    sent = patient.post(
        f"{page}media/{item_id}/",
        data={"csrfmiddlewaretoken": _csrf(patient.get(page).text)},
        files={"file": (name, data, kind)},
        headers={"Referer": page},
    )
    assert sent.status_code == 201, sent.text
    return sent.json()["id"]


def _zip_of_a_video() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("video.mp4", samples.video_bytes(seconds=0.5))
    return buffer.getvalue()


def _settled(
    media_ids: list[str], worker, log: Path, *, tasks_run: int, seconds: float = 60
) -> dict[str, MediaFile]:
    """Wait until every file is settled and the log shows `tasks_run` tasks ended; return them.

    A task ends (and is logged) after its transaction commits and the upload is deleted.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        files = MediaFile.objects.in_bulk(media_ids)
        pending = [pk for pk, media in files.items() if media.status in PENDING]
        ended = len(SUCCEEDED.findall(log.read_text(errors="replace")))
        if len(files) == len(media_ids) and not pending and ended >= tasks_run:
            return {str(pk): media for pk, media in files.items()}
        time.sleep(0.2)
    raise AssertionError(
        f"files not settled within {seconds} s (worker exit code {worker.poll()}); {_log(log)}"
    )


def _refused_by_the_worker(patient, server, step, files, process, log, *, tasks_before: int):
    """Send `files`; check each is refused in the worker with its reason, the worker still up."""
    hostile = {
        _send(patient, server, step, item_id, name, data, kind): (code, reason)
        for item_id, name, data, kind, code, reason in files
    }
    tasks = tasks_before + len(files)
    settled = _settled(list(hostile), process, log, tasks_run=tasks)
    for media_id, (code, reason) in hostile.items():
        media = settled[media_id]
        assert (media.status, media.refusal_code) == ("refused", code), _log(log)
        assert f"Media file {media_id} refused: {code}" in log.read_text(), _log(log)
        assert not media.upload and not default_storage.exists(f"{media.folder()}/upload")
        shown = patient.get(f"{server}/patient/media/{media_id}/").json()
        assert shown["refused"] and not shown["ready"]
        assert shown["caption"].startswith("This file could not be used.")
        assert reason in shown["caption"]
    # Each was refused in the worker process, not in the web process.
    text = log.read_text()
    assert f"{WORKER_NAME}@" in text, _log(log)
    assert SUCCEEDED.findall(text) == ["refused"] * tasks, _log(log)
    assert process.poll() is None, _log(log)
    assert "Traceback" not in text and "WorkerLostError" not in text, _log(log)


def test_hostile_files_are_refused_by_the_worker_which_then_processes_a_real_video(
    server, worker, invitation, listener, tmp_path
):
    process, log = worker
    patient = _patient(server, invitation.token)
    step = _pattern_step(patient, server)
    url = f"http://127.0.0.1:{listener.port}/segment.ts"
    playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{url}\n#EXT-X-ENDLIST\n"
    secret = tmp_path / "secret.mp4"  # a file the worker could read, were a list to name it
    secret.write_bytes(samples.video_bytes(seconds=0.5))
    video = samples.video_bytes(container_format="mp4")
    not_media, too_big = "not a photo or video we can use", "larger than we can process"
    # (question, file name, content, declared type, refusal code, what the patient reads). The
    # video question takes two files at a time and the photo question three: refused files do
    # not count, files waiting for the worker do; so the files go in two rounds.
    first = [
        ("twitch_video", "notes.mp4", b"My notes.\n" * 50, "video/mp4", "not_media", not_media),
        ("twitch_video", "clip.mp4", playlist.encode(), "video/mp4", "not_media", not_media),
        ("twitch_photos", "clip.mp4", _zip_of_a_video(), "video/mp4", "not_media", not_media),
        ("twitch_photos", "IMG_3.PNG", samples.huge_png(), "image/png", "too_many_pixels", too_big),
    ]
    second = [
        ("twitch_video", "cut.mp4", video[: len(video) // 2], "video/mp4", "unreadable", ""),
        (
            "twitch_video",
            "list.mp4",
            f"ffconcat version 1.0\nfile '{url}'\n".encode(),
            "video/mp4",
            "not_media",
            not_media,
        ),
        (
            "twitch_photos",
            "local.mp4",
            f"ffconcat version 1.0\nfile '{secret}'\n".encode(),
            "video/mp4",
            "not_media",
            not_media,
        ),
    ]
    _refused_by_the_worker(patient, server, step, first, process, log, tasks_before=0)
    _refused_by_the_worker(patient, server, step, second, process, log, tasks_before=4)
    assert listener.connections == 0, _log(log)  # no list's address was ever asked for

    good_video = samples.video_bytes(seconds=1.0)
    good = _send(
        patient, server, step, "twitch_video", "IMG_0005.MOV", good_video, "video/quicktime"
    )

    media = _settled([good], process, log, tasks_run=8)[good]
    assert (media.status, media.kind) == ("ready", "video"), _log(log)
    assert (media.width, media.height) == (320, 240)
    assert media.duration_seconds == pytest.approx(1.0, abs=0.1)
    assert SUCCEEDED.findall(log.read_text()) == ["refused"] * 7 + ["ready"], _log(log)
    poster = patient.get(f"{server}/patient/media/{good}/poster.jpg")
    assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"
    assert process.poll() is None, _log(log)
