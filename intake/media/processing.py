"""Turn a patient's phone video or photo into a clean copy: probe, bound, re-encode, strip.

Plain functions over files, no ORM and no request: the task (intake.media.tasks) calls them in
the worker. Nothing here trusts the file's name or declared type: the first bytes pick the one
decoder allowed to read it, and the decoder can open no other file or address (no playlist,
concat list, data reference or URL), because every nested open goes to `_refuse_nested_open`.
Output carries pixels and sound only: every metadata field (location, device, owner, dates) is
left behind by re-encoding into fresh containers.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import pillow_heif
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 150 * 1024 * 1024
MAX_VIDEO_SECONDS = 60
# A phone's 4K video is 3840x2160; anything past 4096 on a side, or 40 million pixels in a
# photo (a 48 MP phone sensor is binned to 12 MP in its JPEGs), is refused before decoding.
MAX_VIDEO_SIDE = 4096
MAX_PHOTO_PIXELS = 50_000_000
MAX_FRAMES_PER_SECOND = 240  # slow-motion phone video; frames beyond are not decoded
OUTPUT_LONG_SIDE = 1280  # 720p: at most 1280x720 landscape or 720x1280 portrait
OUTPUT_SHORT_SIDE = 720
OUTPUT_FRAMES_PER_SECOND = 30
PHOTO_LONG_SIDE = 2048
POSTER_LONG_SIDE = 640

# The demuxers the sniffed first bytes may choose; nothing else is ever handed to FFmpeg.
MP4_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"
MATROSKA_FAMILY = "matroska,webm"
ALLOWED_DEMUXERS = frozenset({MP4_FAMILY, MATROSKA_FAMILY})
_DEMUXER_OPTIONS = {
    "format_whitelist": "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm",
    "protocol_whitelist": "none",
    "enable_drefs": "0",  # mov: never follow a data reference to another file
    "use_absolute_path": "0",
}
_PHOTO_FORMATS = ("JPEG", "PNG", "HEIF")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_MP4_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

pillow_heif.register_heif_opener()
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS


class Refusal(Exception):
    """The file cannot be used; `code` is stored, `message` is shown to the patient."""

    # Lazy: each is read in the language of the request that shows it (the patient's).
    MESSAGES = {
        "too_large": _("This file is larger than 150 MB. Please send a shorter video."),
        "not_media": _(
            "This file is not a photo or video we can use. Please send a photo (JPEG, PNG or "
            "HEIC) or a video (MP4, MOV, WebM or 3GP)."
        ),
        "too_long": _(
            "This video is longer than %(seconds)s seconds. Please send a clip of %(seconds)s "
            "seconds or less."
        ),
        "too_many_pixels": _(
            "This picture or video is larger than we can process. Please send one taken with "
            "the phone's usual camera settings."
        ),
        "unreadable": _(
            "This file could not be read: it may be damaged or incomplete. Please send it again."
        ),
        "wrong_kind": _("This question asks for another kind of file (a photo or a video)."),
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return refusal_message(self.code)


def refusal_message(code: str, max_seconds: int = MAX_VIDEO_SECONDS) -> str:
    """Return the patient's message for a stored refusal code, in the active language."""
    template = Refusal.MESSAGES.get(code, Refusal.MESSAGES["unreadable"])
    return str(template) % {"seconds": max_seconds}


@dataclass(frozen=True)
class Processed:
    """What came out: the clean file, its poster (a JPEG), and what the clinician is shown."""

    kind: str  # "video" or "photo"
    output: Path
    poster: Path
    width: int
    height: int
    duration_seconds: float | None


def sniff(path: Path) -> str:
    """Return "video:<demuxer>" or "photo" from the file's first bytes; refuse anything else."""
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise Refusal("too_large")
    with path.open("rb") as file:
        head = file.read(32)
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "photo"
    if head[4:8] in _MP4_BOXES:
        return f"video:{MP4_FAMILY}"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return f"video:{MATROSKA_FAMILY}"
    raise Refusal("not_media")


def process_file(
    source: Path, workdir: Path, *, accept: str = "either", max_seconds: int = MAX_VIDEO_SECONDS
) -> Processed:
    """Probe `source` by content and write a clean copy and a poster into `workdir`."""
    sniffed = sniff(source)
    kind = "photo" if sniffed == "photo" else "video"
    if accept not in ("either", kind):
        raise Refusal("wrong_kind")
    if kind == "photo":
        return process_photo(source, workdir)
    demuxer = sniffed.split(":", 1)[1]
    return process_video(source, workdir, demuxer=demuxer, max_seconds=max_seconds)


# Photos ----------------------------------------------------------------------------------------


def process_photo(source: Path, workdir: Path) -> Processed:
    """Re-encode a JPEG, PNG or HEIC photo to a JPEG with no metadata, and a small poster."""
    with source.open("rb") as file, _photo_errors():
        image = Image.open(file, formats=_PHOTO_FORMATS)
        width, height = image.size
        if width * height > MAX_PHOTO_PIXELS or not width or not height:
            raise Refusal("too_many_pixels")
        image = ImageOps.exif_transpose(image)  # the pixels as the phone showed them
        image = image.convert("RGB")
    clean = Image.frombytes("RGB", image.size, image.tobytes())  # pixels only, no info
    clean.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
    output = workdir / "photo.jpg"
    clean.save(output, "JPEG", quality=85, optimize=True)
    poster = workdir / "poster.jpg"
    _save_poster(clean, poster)
    return Processed("photo", output, poster, clean.width, clean.height, None)


@contextlib.contextmanager
def _photo_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except Refusal:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Refusal("too_many_pixels") from error
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            # Pillow's UnidentifiedImageError is an OSError; truncated data raises OSError too.
            raise Refusal("unreadable") from error


def _save_poster(image: Image.Image, path: Path) -> None:
    poster = image.copy()
    poster.thumbnail((POSTER_LONG_SIDE, POSTER_LONG_SIDE))
    poster.save(path, "JPEG", quality=80)


# Video -----------------------------------------------------------------------------------------


class NestedOpenRefused(Exception):
    """The demuxer asked to open another file or address; it never may."""


def _refuse_nested_open(url: str, flags: int, options: dict) -> None:
    # The URL is the attacker's text: not logged.
    raise NestedOpenRefused()


def open_video(file: io.BufferedIOBase, demuxer: str) -> av.container.InputContainer:
    """Open `file` with one allowed demuxer; no URL, other file or protocol can be reached."""
    if demuxer not in ALLOWED_DEMUXERS:
        raise Refusal("not_media")
    try:
        return av.open(
            file,
            mode="r",
            format=demuxer,
            options=dict(_DEMUXER_OPTIONS),
            io_open=_refuse_nested_open,
            timeout=10,
        )
    except (av.FFmpegError, NestedOpenRefused, ValueError, OSError) as error:
        raise Refusal("unreadable") from error


def process_video(
    source: Path, workdir: Path, *, demuxer: str, max_seconds: int = MAX_VIDEO_SECONDS
) -> Processed:
    """Re-encode to H.264/AAC MP4 of at most 720p and `max_seconds`, with a poster frame."""
    max_seconds = min(max_seconds, MAX_VIDEO_SECONDS)
    with source.open("rb") as file, open_video(file, demuxer) as container:
        try:
            return _transcode(container, workdir, max_seconds)
        except Refusal:
            raise
        except (av.FFmpegError, NestedOpenRefused, ValueError, OSError) as error:
            raise Refusal("unreadable") from error


def _check_bounds(container, video, max_seconds: int) -> None:
    codec = video.codec_context
    width, height = codec.width, codec.height
    if not width or not height:
        raise Refusal("unreadable")
    if max(width, height) > MAX_VIDEO_SIDE:
        raise Refusal("too_many_pixels")
    # Half a second of grace: a phone's "60 s" clip often runs a few frames over.
    limit = max_seconds + 0.5
    if container.duration is not None and container.duration / av.time_base > limit:
        raise Refusal("too_long")
    if video.duration and video.time_base and video.duration * video.time_base > limit:
        raise Refusal("too_long")
    if video.frames and video.frames > MAX_VIDEO_SECONDS * MAX_FRAMES_PER_SECOND:
        raise Refusal("too_many_pixels")


def output_size(width: int, height: int) -> tuple[int, int]:
    """Return the size at most 720p keeping the shape; even numbers, as H.264 needs."""
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, OUTPUT_LONG_SIDE / long_side, OUTPUT_SHORT_SIDE / short_side)
    new_width = max(2, int(width * scale) // 2 * 2)
    new_height = max(2, int(height * scale) // 2 * 2)
    return new_width, new_height


def _transcode(container, workdir: Path, max_seconds: int) -> Processed:
    if not container.streams.video:
        raise Refusal("not_media")
    video = container.streams.video[0]
    _check_bounds(container, video, max_seconds)
    audio = container.streams.audio[0] if container.streams.audio else None
    video.thread_type = "AUTO"
    rotation = _display_rotation(container, video)
    output = workdir / "video.mp4"
    poster = workdir / "poster.jpg"
    writer = _VideoWriter(output, video, audio, rotation)
    poster_image = None
    last_seconds = 0.0
    try:
        streams = [video, audio] if audio is not None else [video]
        for packet in container.demux(*streams):
            for frame in packet.decode():
                seconds = float(frame.time) if frame.time is not None else last_seconds
                if seconds > max_seconds + 0.5:
                    raise Refusal("too_long")
                if packet.stream is audio:
                    writer.write_audio(frame)
                    continue
                last_seconds = max(last_seconds, seconds)
                if writer.write_video(frame, seconds) and (
                    poster_image is None or (seconds <= 1.0 and writer.frames_written <= 31)
                ):
                    poster_image = writer.last_picture()
        if writer.frames_written == 0:
            raise Refusal("unreadable")
        writer.close()
    finally:
        writer.abandon()
    _save_poster(poster_image, poster)
    width, height = writer.size
    return Processed("video", output, poster, width, height, round(writer.duration, 2))


def _display_rotation(container, video) -> int:
    """Return how many degrees counter-clockwise the phone asks the picture to be turned.

    A phone films portrait video as landscape pixels plus a display matrix; the matrix is
    metadata and is dropped, so the pixels are turned instead.
    """
    for frame in container.decode(video):
        rotation = round(frame.rotation or 0) % 360
        break
    else:
        raise Refusal("unreadable")
    container.seek(0)
    return rotation if rotation in (90, 180, 270) else 0


class _VideoWriter:
    """An MP4 file of H.264 at <= 30 frames a second and AAC, with no metadata."""

    def __init__(self, path: Path, video, audio, rotation: int) -> None:
        self.path = path
        self.rotation = rotation
        width, height = video.codec_context.width, video.codec_context.height
        if rotation in (90, 270):
            width, height = height, width
        self.size = output_size(width, height)
        self.container = av.open(str(path), mode="w", format="mp4")
        self.video = self.container.add_stream("libx264", rate=OUTPUT_FRAMES_PER_SECOND)
        self.video.width, self.video.height = self.size
        self.video.pix_fmt = "yuv420p"
        self.video.codec_context.time_base = Fraction(1, 1000)
        self.video.options = {"preset": "veryfast", "crf": "26"}
        self.audio = None
        self.resampler = None
        if audio is not None and audio.codec_context.sample_rate:
            self.audio = self.container.add_stream("aac", rate=48000)
            self.audio.layout = "stereo"
            self.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        self.frames_written = 0
        self.first_seconds: float | None = None
        self.next_seconds = 0.0
        self.duration = 0.0
        self.closed = False

    def write_video(self, frame, seconds: float) -> bool:
        """Encode `frame` unless it comes sooner than 1/30 s after the last one kept."""
        if self.first_seconds is None:
            self.first_seconds = seconds
        relative = seconds - self.first_seconds
        if relative < self.next_seconds - 0.001:
            return False
        self.next_seconds = relative + 1 / OUTPUT_FRAMES_PER_SECOND
        scaled = self._turned_and_scaled(frame)
        scaled.pts = round(relative * 1000)
        scaled.time_base = Fraction(1, 1000)
        self.last_frame = scaled
        self.container.mux(self.video.encode(scaled))
        self.frames_written += 1
        self.duration = relative + 1 / OUTPUT_FRAMES_PER_SECOND
        return True

    def _turned_and_scaled(self, frame):
        width, height = self.size
        if not self.rotation:
            return frame.reformat(width=width, height=height, format="yuv420p")
        if self.rotation in (90, 270):
            width, height = height, width
        picture = frame.reformat(width=width, height=height, format="rgb24").to_image()
        turned = av.VideoFrame.from_image(picture.rotate(self.rotation, expand=True))
        return turned.reformat(format="yuv420p")

    def last_picture(self) -> Image.Image:
        """Return the last frame kept, as shown (turned and scaled): the poster candidate."""
        return self.last_frame.to_image()

    def write_audio(self, frame) -> None:
        if self.audio is None:
            return
        frame.pts = None
        for resampled in self.resampler.resample(frame):
            self.container.mux(self.audio.encode(resampled))

    def close(self) -> None:
        self.container.mux(self.video.encode(None))
        if self.audio is not None:
            for resampled in self.resampler.resample(None):
                self.container.mux(self.audio.encode(resampled))
            self.container.mux(self.audio.encode(None))
        self.container.close()
        self.closed = True

    def abandon(self) -> None:
        """Close and delete a half-written file after a refusal or error."""
        if self.closed:
            return
        with contextlib.suppress(Exception):
            self.container.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
