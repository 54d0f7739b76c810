"""Print the mutation score of each engine file from mutmut's results (run by `make mutation`).

Score = killed / (killed + survived + no tests), timeouts counted as killed, as mutmut does.
Mutants not checked (the time budget ran out) are counted apart and leave the score open.
Exits non-zero when a file is under the target, so the target can be kept in CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MUTANTS = Path("mutants")
FILES = ("intake/questionnaires/conditions.py", "intake/questionnaires/cleaning.py")
TARGET = 97.0
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # failed a test, timed out or caught by type check
SURVIVED = {0}
NO_TESTS = {5, 33}


def score(path: str) -> tuple[float | None, dict[str, int]]:
    """Return the score of one file (None before any result) and its mutant counts."""
    meta = MUTANTS / f"{path}.meta"
    codes = list(json.loads(meta.read_text())["exit_code_by_key"].values()) if meta.exists() else []
    counts = {
        "killed": sum(code in KILLED for code in codes),
        "survived": sum(code in SURVIVED for code in codes),
        "no tests": sum(code in NO_TESTS for code in codes),
        "not checked": sum(code is None for code in codes),
    }
    judged = counts["killed"] + counts["survived"] + counts["no tests"]
    return (100 * counts["killed"] / judged if judged else None), counts


def main() -> int:
    below = False
    for path in FILES:
        value, counts = score(path)
        shown = "no results" if value is None else f"{value:5.1f}%"
        details = ", ".join(f"{count} {name}" for name, count in counts.items())
        print(f"{path:45} {shown}  ({details})")
        below |= value is None or value < TARGET or counts["not checked"] > 0
    print(f"Target {TARGET}% per file. List survivors: `.venv/bin/mutmut results`;")
    print("show one: `.venv/bin/mutmut show NAME`; equivalent ones: docs/mutation.md.")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
