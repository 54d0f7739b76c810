"""Media processing figures: a 30 s 1080p phone-like video through the worker's processing.

Run from the repository root: `.venv/bin/python bench/media.py` (`make bench` can call
`measure()`). The video is made first (H.264 1080p at 30 frames a second with AAC sound and
phone metadata, moving content so the encoder has work); processing then runs in a child
process so that its peak memory (VmHWM) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_phone_video(path: Path, seconds: int = 30, width: int = 1920, height: int = 1080) -> None:
    """Write an H.264 1080p MOV at 30 frames a second with sound: a lit scene with sensor noise
    and movement, at about a phone's bit rate (12 Mbit/s), with phone metadata."""
    from fractions import Fraction

    import av
    from PIL import Image, ImageChops

    rate = 30
    scene = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = [Image.effect_noise((width, height), 12).convert("RGB") for _ in range(6)]
    with av.open(str(path), "w", format="mov") as output:
        output.metadata.update({"location": "+48.8584+002.2945/", "model": "Bench phone"})
        video = output.add_stream("libx264", rate=rate)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 12_000_000
        video.options = {"preset": "ultrafast"}
        sound = output.add_stream("aac", rate=48000)
        for index in range(seconds * rate):
            picture = ImageChops.add(scene, noise[index % len(noise)], scale=1.0, offset=-12)
            bar = Image.new("RGB", (width // 12, height), (230, 200, 180))
            picture.paste(bar, ((index * 23) % width, 0))
            frame = av.VideoFrame.from_image(picture)
            frame.pts, frame.time_base = index, Fraction(1, rate)
            output.mux(video.encode(frame))
        output.mux(video.encode(None))
        for index in range(seconds * 50):
            chunk = av.AudioFrame(format="fltp", layout="stereo", samples=960)
            for plane in chunk.planes:
                plane.update(bytes(plane.buffer_size))
            chunk.sample_rate, chunk.pts = 48000, index * 960
            output.mux(sound.encode(chunk))
        output.mux(sound.encode(None))


def process_in_child(path: Path) -> dict:
    """Process `path` in a fresh interpreter; return its wall time and peak memory."""
    code = (
        "import json, resource, sys, tempfile, time\n"
        "def _peak_kb():\n"
        "    # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec).\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "from pathlib import Path\n"
        "from intake.media.processing import process_file\n"
        "start = time.perf_counter()\n"
        "with tempfile.TemporaryDirectory() as work:\n"
        "    result = process_file(Path(sys.argv[1]), Path(work))\n"
        "    size = result.output.stat().st_size\n"
        "seconds = time.perf_counter() - start\n"
        "peak = _peak_kb()\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps({'seconds': seconds, 'cpu_seconds': cpu, 'peak_mb': peak / 1024,"
        " 'output_mb': size / 2**20,"
        " 'size': [result.width, result.height], 'duration': result.duration_seconds}))\n"
    )
    baseline = subprocess.run(
        [
            sys.executable,
            "-c",
            "import av, PIL, pillow_heif, intake.media.processing;"
            "print([int(line.split()[1]) for line in open('/proc/self/status')"
            " if line.startswith('VmHWM')][0])",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures = json.loads(done.stdout)
    figures["baseline_import_mb"] = int(baseline.stdout) / 1024
    return figures


def measure() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "phone.mov"
        start = time.perf_counter()
        make_phone_video(source)
        made = time.perf_counter() - start
        figures = process_in_child(source)
        figures["input_mb"] = source.stat().st_size / 2**20
        figures["making_input_seconds"] = made
    return figures


def media_figures() -> list[dict]:
    """`make bench` rows: processing time against the video's own length (real time), and the
    worker's peak memory against the same interpreter with the libraries imported alone."""
    result = measure()
    seconds, peak = result["seconds"], result["peak_mb"]
    return [
        {
            "figure": f"media: 30 s 1080p phone video ({result['input_mb']:.0f} MB), processing",
            "value": round(seconds, 1),
            "unit": "s",
            "baseline": 30,
            "baseline_label": "the video's length",
            "ratio": round(seconds / 30, 2),
        },
        {
            "figure": "media: peak memory of the process doing it",
            "value": round(peak),
            "unit": "MB",
            "baseline": round(result["baseline_import_mb"]),
            "baseline_label": "imports alone",
            "ratio": round(peak / result["baseline_import_mb"], 2),
        },
    ]


if __name__ == "__main__":
    result = measure()
    print(
        f"30 s 1080p phone video ({result['input_mb']:.1f} MB) -> "
        f"{result['size'][0]}x{result['size'][1]} {result['duration']} s MP4 "
        f"({result['output_mb']:.1f} MB): {result['seconds']:.1f} s "
        f"({result['cpu_seconds']:.1f} s of CPU), "
        f"peak memory {result['peak_mb']:.0f} MB "
        f"(imports alone {result['baseline_import_mb']:.0f} MB)"
    )
