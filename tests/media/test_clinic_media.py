"""The clinician plays a patient's video in the portal with range requests; front desk never."""

from __future__ import annotations

import pytest
from django.test import Client

from intake.media.ranges import Unsatisfiable, parse_range
from intake.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(media, what="play") -> str:
    return f"/clinic/intakes/{media.intake_id}/media/{media.pk}/{what}"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_summary_shows_each_video_with_poster_length_and_date(video, clinician):
    html = _client(clinician).get(f"/clinic/intakes/{video.intake_id}/summary/").content.decode()
    assert "Photos and videos the patient sent" in html
    assert f'poster="{_url(video, "poster.jpg")}"' in html
    assert f'src="{_url(video)}"' in html
    assert "Video, 1 s · sent" in html


def test_whole_video_plays_with_accept_ranges_and_is_audited(video, clinician):
    response = _client(clinician).get(_url(video))
    data = _body(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == len(data) == video.file_size
    assert data == video.file.open("rb").read()
    assert response["Content-Disposition"].startswith('inline; filename="intake-')
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="media_played").get()
    assert event.actor == clinician and event.detail == {"media": str(video.pk)}


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", None, None)],
)
def test_range_requests_get_206_with_the_right_bytes(video, clinician, header, first, last):
    whole = video.file.open("rb").read()
    size = len(whole)
    if header == "bytes=-50":
        first, last = size - 50, size - 1
    last = size - 1 if last is None else last

    response = _client(clinician).get(_url(video), HTTP_RANGE=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert int(response["Content-Length"]) == last - first + 1
    assert _body(response) == whole[first : last + 1]


def test_seeking_is_not_a_new_play_in_the_audit(video, clinician):
    client = _client(clinician)
    _body(client.get(_url(video), HTTP_RANGE="bytes=0-"))
    _body(client.get(_url(video), HTTP_RANGE="bytes=500-"))
    assert AuditEvent.objects.filter(action="media_played").count() == 1


def test_range_past_the_end_gets_416_with_the_size(video, clinician):
    response = _client(clinician).get(_url(video), HTTP_RANGE=f"bytes={video.file_size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{video.file_size}"


def test_malformed_range_is_ignored_and_the_whole_file_sent(video, clinician):
    response = _client(clinician).get(_url(video), HTTP_RANGE="bytes=abc")
    assert response.status_code == 200
    assert len(_body(response)) == video.file_size


def test_parse_range_edges():
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-999", 10) == (5, 9)
    assert parse_range("bytes=-999", 10) == (0, 9)
    assert parse_range("bytes=7-3", 10) is None
    assert parse_range("bytes=0-1,4-5", 10) is None  # several ranges: whole file
    assert parse_range("items=0-1", 10) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=10-", 10)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-0", 10)


def test_download_is_an_attachment_named_by_ids_and_audited(video, clinician):
    response = _client(clinician).get(_url(video, "download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="intake-')
    assert "IMG_0001" not in response["Content-Disposition"]
    _body(response)
    assert AuditEvent.objects.filter(action="media_downloaded", actor=clinician).count() == 1


def test_front_desk_never_sees_media(video, front_desk):
    client = _client(front_desk)
    for what in ("play", "download", "poster.jpg"):
        assert client.get(_url(video, what)).status_code == 403
    page = client.get(f"/clinic/intakes/{video.intake_id}/").content.decode()
    assert str(video.pk) not in page
    assert not AuditEvent.objects.filter(action__in=["media_played", "media_downloaded"]).exists()


def test_media_of_another_intake_is_not_found_under_this_one(video, clinician, other_invitation):
    response = _client(clinician).get(
        f"/clinic/intakes/{other_invitation.intake.pk}/media/{video.pk}/play"
    )
    assert response.status_code == 404
