"""Processing: real phone-like media comes out clean; hostile files are refused, nothing opened."""

from __future__ import annotations

import io
import zipfile

import av
import pytest
from PIL import Image

from intake.media import processing
from intake.media.processing import Refusal, process_file

from . import samples
from .listener import Listener

DEVICE_WORDS = [samples.DEVICE_MAKE, samples.DEVICE_MODEL, samples.OWNER, "48.8584", "48°"]


def _metadata_of_video(path) -> dict[str, str]:
    with av.open(str(path)) as container:
        found = dict(container.metadata)
        for stream in container.streams:
            found.update({f"{stream.type}:{key}": value for key, value in stream.metadata.items()})
    return found


@pytest.mark.parametrize("container_format", ["mov", "mp4"])
def test_phone_video_comes_out_h264_aac_without_location_or_device(tmp_path, container_format):
    source = samples.write(
        tmp_path, "clip.bin", samples.video_bytes(container_format=container_format)
    )
    assert samples.DEVICE_MODEL.encode() in source.read_bytes()  # the input does carry it

    result = process_file(source, tmp_path)

    assert (result.kind, result.width, result.height) == ("video", 320, 240)
    assert result.duration_seconds == pytest.approx(2.0, abs=0.1)
    with av.open(str(result.output)) as container:
        assert container.format.name.startswith("mov,mp4")
        codecs = sorted(stream.codec_context.name for stream in container.streams)
        assert codecs == ["aac", "h264"]
    metadata = _metadata_of_video(result.output)
    assert not any(key.split(":")[-1].startswith(("location", "com.apple")) for key in metadata)
    assert not {"make", "model", "artist", "copyright"} & set(metadata)
    raw = result.output.read_bytes()
    for word in DEVICE_WORDS:
        assert word.encode() not in raw
    with Image.open(result.poster) as poster:
        assert poster.format == "JPEG" and poster.size == (320, 240)


def test_webm_video_is_accepted_and_reencoded(tmp_path):
    data = samples.video_bytes(container_format="webm", codec="libvpx-vp9")
    result = process_file(samples.write(tmp_path, "clip.mp4", data), tmp_path)
    with av.open(str(result.output)) as container:
        assert container.streams.video[0].codec_context.name == "h264"


def test_1080p_video_is_brought_down_to_720p(tmp_path):
    data = samples.video_bytes(seconds=0.5, width=1920, height=1080, audio=False)
    result = process_file(samples.write(tmp_path, "big.mov", data), tmp_path)
    assert (result.width, result.height) == (1280, 720)


def test_portrait_phone_video_is_turned_upright(tmp_path):
    data = samples.video_bytes(seconds=0.5, width=320, height=240, rotation=-90, audio=False)
    result = process_file(samples.write(tmp_path, "portrait.mov", data), tmp_path)
    assert (result.width, result.height) == (240, 320)
    with Image.open(result.poster) as poster:
        # The marker sits top-left in the stored pixels; turned clockwise it is top-right.
        assert poster.getpixel((poster.width - 8, 8))[0] > 200
        assert poster.getpixel((8, 8))[0] < 100


def test_video_over_sixty_seconds_is_refused_as_too_long(tmp_path):
    data = samples.video_bytes(seconds=61, width=64, height=48, rate=5, audio=False)
    with pytest.raises(Refusal) as refused:
        process_file(samples.write(tmp_path, "long.mp4", data), tmp_path)
    assert refused.value.code == "too_long"
    assert "longer than 60 seconds" in refused.value.message
    assert not (tmp_path / "video.mp4").exists()


@pytest.mark.parametrize("maker", [samples.jpeg_with_gps, samples.heic_with_gps])
def test_photo_is_stored_as_jpeg_without_exif_gps_or_device(tmp_path, maker):
    source = samples.write(tmp_path, "photo.dat", maker())
    with Image.open(source) as original:
        assert original.getexif().get_ifd(0x8825)  # the input does carry a GPS position

    result = process_file(source, tmp_path)

    with Image.open(result.output) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(stored.info)
    raw = result.output.read_bytes()
    for word in DEVICE_WORDS:
        assert word.encode() not in raw
    # Orientation 6 was applied to the pixels, then dropped with the rest of the EXIF.
    assert result.width < result.height


def test_photo_is_refused_where_a_video_is_asked_for(tmp_path):
    with pytest.raises(Refusal) as refused:
        process_file(
            samples.write(tmp_path, "a.jpg", samples.jpeg_with_gps()), tmp_path, accept="video"
        )
    assert refused.value.code == "wrong_kind"


# Hostile files ---------------------------------------------------------------------------------


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def _playlists(port: int, secret_file) -> dict[str, bytes]:
    url = f"http://127.0.0.1:{port}/segment.ts"
    return {
        "hls_network.mp4": f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{url}\n"
        "#EXT-X-ENDLIST\n".encode(),
        "hls_file.mp4": f"#EXTM3U\n#EXTINF:10,\nfile://{secret_file}\n#EXT-X-ENDLIST\n".encode(),
        "concat_network.mp4": f"ffconcat version 1.0\nfile '{url}'\n".encode(),
        "concat_file.mp4": f"ffconcat version 1.0\nfile '{secret_file}'\n".encode(),
    }


def test_playlists_and_concat_lists_are_refused_and_open_nothing(tmp_path, listener):
    secret = samples.write(tmp_path, "secret.mp4", samples.video_bytes(seconds=0.5))
    for name, data in _playlists(listener.port, secret).items():
        with pytest.raises(Refusal) as refused:
            process_file(samples.write(tmp_path, name, data), tmp_path)
        assert refused.value.code == "not_media", name
    assert listener.connections == 0
    assert not (tmp_path / "video.mp4").exists()


@pytest.mark.parametrize("demuxer", [processing.MP4_FAMILY, processing.MATROSKA_FAMILY])
def test_playlist_forced_through_the_allowed_demuxers_opens_nothing(tmp_path, listener, demuxer):
    secret = samples.write(tmp_path, "secret.mp4", samples.video_bytes(seconds=0.5))
    for name, data in _playlists(listener.port, secret).items():
        with pytest.raises(Refusal) as refused:
            processing.process_video(samples.write(tmp_path, name, data), tmp_path, demuxer=demuxer)
        assert refused.value.code == "unreadable", name
    assert listener.connections == 0


def test_no_demuxer_outside_the_allow_list_can_be_asked_for(tmp_path):
    for demuxer in ("hls", "concat", "image2", "lavfi"):
        with pytest.raises(Refusal):
            processing.open_video(io.BytesIO(b"#EXTM3U\n"), demuxer)


def test_even_ffmpegs_hls_demuxer_cannot_reach_the_network_through_our_opener(listener):
    # Belt and braces: were the HLS demuxer ever chosen, every nested open is refused.
    playlist = (
        f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:{listener.port}/a.ts\n"
        "#EXT-X-ENDLIST\n"
    ).encode()
    with (
        pytest.raises((av.FFmpegError, processing.NestedOpenRefused, OSError)),
        av.open(
            io.BytesIO(playlist), format="hls", io_open=processing._refuse_nested_open
        ) as container,
    ):
        for _ in container.decode(video=0):
            pass
    assert listener.connections == 0


def test_text_renamed_mp4_is_refused_as_not_media(tmp_path):
    source = samples.write(tmp_path, "video.mp4", b"Dear doctor, these are my notes.\n" * 20)
    with pytest.raises(Refusal) as refused:
        process_file(source, tmp_path)
    assert refused.value.code == "not_media"
    assert "not a photo or video" in refused.value.message


def test_truncated_mp4_is_refused_as_unreadable(tmp_path):
    data = samples.video_bytes(container_format="mp4")
    source = samples.write(tmp_path, "cut.mp4", data[: len(data) // 2])
    with pytest.raises(Refusal) as refused:
        process_file(source, tmp_path)
    assert refused.value.code == "unreadable"
    assert not (tmp_path / "video.mp4").exists()


def test_zip_is_refused_as_not_media(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("video.mp4", samples.video_bytes(seconds=0.5))
    with pytest.raises(Refusal) as refused:
        process_file(samples.write(tmp_path, "clip.mp4", buffer.getvalue()), tmp_path)
    assert refused.value.code == "not_media"


def test_20000_by_20000_png_is_refused_before_decoding(tmp_path):
    source = samples.write(tmp_path, "bomb.png", samples.huge_png())
    with pytest.raises(Refusal) as refused:
        process_file(source, tmp_path)
    assert refused.value.code == "too_many_pixels"
    assert not (tmp_path / "photo.jpg").exists()


def test_video_wider_than_4096_is_refused_before_decoding(tmp_path):
    data = samples.video_bytes(seconds=0.1, width=4160, height=64, audio=False)
    with pytest.raises(Refusal) as refused:
        process_file(samples.write(tmp_path, "wide.mp4", data), tmp_path)
    assert refused.value.code == "too_many_pixels"


def test_file_over_150_mb_is_refused_unread(tmp_path):
    source = tmp_path / "huge.mp4"
    with source.open("wb") as file:
        file.truncate(processing.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(Refusal) as refused:
        process_file(source, tmp_path)
    assert refused.value.code == "too_large"
    assert "150 MB" in refused.value.message


def test_output_size_keeps_shape_and_even_sides():
    assert processing.output_size(1920, 1080) == (1280, 720)
    assert processing.output_size(1080, 1920) == (720, 1280)
    assert processing.output_size(640, 480) == (640, 480)
    assert processing.output_size(3840, 2160) == (1280, 720)
