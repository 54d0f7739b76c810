"""`make bench`, export part: the bulk CSV export's peak memory at 1,000 and 100,000 intakes."""

from __future__ import annotations

import time
import tracemalloc

from intake.interop.exports import csv_lines, responses_for_export


def export_figures() -> list[dict]:
    """Stream the bulk CSV of the first 1,000 intakes and of all of them (the dashboard's
    100,000, each given a submitted response by the integrity part); peak memory should be flat."""
    everything = responses_for_export(submitted_from=None, submitted_to=None, status="all")
    total = everything.count()
    small_rows, small_seconds = _timed(everything[:1000])
    read_seconds = _read(everything[:1000])
    small_peak = _peak(everything[:1000])
    large_peak = _peak(everything)
    return [
        {
            "figure": f"CSV export: peak memory, 1,000 intakes vs {total:,} (tracemalloc)",
            "value": round(large_peak / 2**20, 2),
            "unit": "MiB",
            "baseline": round(small_peak / 2**20, 2),
            "baseline_label": "1,000 intakes",
            "ratio": round(large_peak / small_peak, 2),
        },
        {
            "figure": f"CSV export: time per 1,000 rows ({small_rows:,} rows of 1,000 intakes)",
            "value": round(small_seconds / small_rows * 1000 * 1000, 1),
            "unit": "ms",
            "baseline": round(read_seconds / small_rows * 1000 * 1000, 1),
            "baseline_label": "reading the same responses",
            "ratio": round(small_seconds / read_seconds, 1),
        },
    ]


def _timed(responses) -> tuple[int, float]:
    started = time.perf_counter()
    rows = sum(chunk.count("\n") for chunk in csv_lines(responses)) - 1
    return rows, time.perf_counter() - started


def _read(responses) -> float:
    started = time.perf_counter()
    for _ in responses.iterator(chunk_size=500):
        pass
    return time.perf_counter() - started


def _peak(responses) -> int:
    tracemalloc.start()
    try:
        for _ in csv_lines(responses):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
