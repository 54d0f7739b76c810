"""Real media made in the tests, as a phone would write it: location and device metadata on."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

LOCATION = "+48.8584+002.2945/"
DEVICE_MAKE = "Pixelphone"
DEVICE_MODEL = "Model TwitchCam 9"
OWNER = "Jane Q Patient"


def video_bytes(
    *,
    seconds: float = 2.0,
    width: int = 320,
    height: int = 240,
    rate: int = 30,
    container_format: str = "mov",
    codec: str = "libx264",
    audio: bool = True,
    rotation: int = 0,
) -> bytes:
    """Return a small video with GPS, device and owner metadata, a moving bar and a tone."""
    buffer = io.BytesIO()
    options = {"movflags": "use_metadata_tags"} if container_format in ("mov", "mp4") else {}
    output = av.open(buffer, "w", format=container_format, container_options=options)
    output.metadata.update(
        {
            "location": LOCATION,
            "com.apple.quicktime.location.ISO6709": LOCATION,
            "make": DEVICE_MAKE,
            "model": DEVICE_MODEL,
            "com.apple.quicktime.make": DEVICE_MAKE,
            "com.apple.quicktime.model": DEVICE_MODEL,
            "artist": OWNER,
            "copyright": OWNER,
        }
    )
    stream = output.add_stream(codec, rate=rate)
    stream.width, stream.height = width, height
    stream.pix_fmt = "yuv420p"
    stream.metadata["handler_name"] = DEVICE_MODEL
    if rotation:
        stream.set_display_rotation(rotation)
    sound = None
    if audio:
        codec_name = "libopus" if container_format == "webm" else "aac"
        sound = output.add_stream(codec_name, rate=48000)
    frames = round(seconds * rate)
    for index in range(frames):
        picture = Image.new("RGB", (width, height), (20, 90, 160))
        bar = Image.new("RGB", (max(1, width // 10), height), (250, 250, 250))
        picture.paste(bar, ((index * 7) % width, 0))
        picture.paste(Image.new("RGB", (16, 16), (255, 0, 0)), (0, 0))  # a marker, top left
        frame = av.VideoFrame.from_image(picture)
        frame.pts = index
        frame.time_base = Fraction(1, rate)
        output.mux(stream.encode(frame))
    output.mux(stream.encode(None))
    if audio:
        samples = 960
        for index in range(round(seconds * 48000 / samples)):
            chunk = av.AudioFrame(format="fltp", layout="stereo", samples=samples)
            for plane in chunk.planes:
                plane.update(bytes(plane.buffer_size))
            chunk.sample_rate = 48000
            chunk.pts = index * samples
            output.mux(sound.encode(chunk))
        output.mux(sound.encode(None))
    output.close()
    return buffer.getvalue()


def jpeg_with_gps(width: int = 800, height: int = 600) -> bytes:
    """Return a JPEG whose EXIF holds a GPS position, the camera's make and model, an owner."""
    image = Image.new("RGB", (width, height), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = DEVICE_MAKE  # Make
    exif[0x0110] = DEVICE_MODEL  # Model
    exif[0x013B] = OWNER  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90 to show
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 30.0)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def heic_with_gps() -> bytes:
    """Return an HEIC photo (as iPhones send) carrying the same EXIF."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.open(io.BytesIO(jpeg_with_gps(640, 480)))
    buffer = io.BytesIO()
    image.save(buffer, "HEIF", exif=image.info["exif"])
    return buffer.getvalue()


def huge_png(side: int = 20_000) -> bytes:
    """Return a real side x side one-bit PNG: tiny on disk, 400 million pixels decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
