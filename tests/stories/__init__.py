"""Twelve invented patient stories, read from the YAML files beside this module.

Each file holds a short story in the patient's words and its facts. A fact says where it is
entered: `question` (a question made for it), `free_text` (only in an "Other" box or an
"Anything else" box) or `nowhere` (no place to enter it). `enter` maps answer paths to values:

    twitch_history:areas                     an item (a list adds options to a multi-choice)
    twitch_history:areas.other               an item's "Other" text
    surgeries:surgery_list[1].surgery_kind   an item of a repeating group's second entry
    surgeries:surgery_list[1].surgery_kind.other   that item's "Other" text
    twitch_history:tried[magnesium].helped   a follow-up of one ticked option

`pdf` lists the texts the clinician's PDF must show for the fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from intake.questionnaires.cleaning import DETAILS_SUFFIX
from tests.summary.pdf_chars import Page, pdf_pages

HERE = Path(__file__).resolve().parent
PLACES = ("question", "free_text", "nowhere")
PATH = re.compile(
    r"^(?P<slug>\w+):(?P<item>\w+)"
    r"(?:\[(?P<key>\w+)\]\.(?P<child>\w+(?:\.other)?)|\.(?P<other>other))?$"
)


@dataclass(frozen=True)
class Fact:
    text: str
    place: str
    enter: dict[str, Any] = field(default_factory=dict)
    pdf: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    patient_name: str
    born: date
    story: str
    facts: tuple[Fact, ...]

    def answers(self) -> dict[str, dict[str, Any]]:
        """Return the answers of every questionnaire the story enters, as they are stored."""
        answers: dict[str, dict[str, Any]] = {}
        for fact in self.facts:
            for path, value in fact.enter.items():
                _put(answers, path, value)
        return answers

    def count(self, place: str) -> int:
        return sum(fact.place == place for fact in self.facts)


def load_stories() -> list[Story]:
    return [load_story(path) for path in sorted(HERE.glob("[0-9][0-9]_*.yaml"))]


def load_story(path: Path) -> Story:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts = tuple(_fact(path, raw) for raw in data["facts"])
    return Story(
        slug=path.stem,
        title=data["title"],
        patient_name=data["patient"]["name"],
        born=data["patient"]["born"],
        story=data["story"],
        facts=facts,
    )


def _fact(path: Path, raw: dict) -> Fact:
    place = raw.get("in", "nowhere")
    enter = raw.get("enter") or {}
    pdf = raw.get("pdf") or []
    assert place in PLACES, f"{path.name}: {raw['fact']!r}: 'in' must be one of {PLACES}"
    assert (place == "nowhere") == (not enter), f"{path.name}: {raw['fact']!r}: enter or nowhere"
    assert place == "nowhere" or pdf, f"{path.name}: {raw['fact']!r}: say what the PDF shows"
    for answer_path in enter:
        assert PATH.match(answer_path), f"{path.name}: bad answer path {answer_path!r}"
    return Fact(raw["fact"], place, enter, tuple([pdf] if isinstance(pdf, str) else pdf))


def parse_path(path: str) -> tuple[str, str, str | None, str | None, bool]:
    """Return (questionnaire, item, entry index or option, follow-up or entry item, other)."""
    match = PATH.match(path)
    return match["slug"], match["item"], match["key"], match["child"], bool(match["other"])


def _put(answers: dict, path: str, value: Any) -> None:
    slug, item, key, child, other = parse_path(path)
    into = answers.setdefault(slug, {})
    if other:
        into[item + ".other"] = value
    elif key is None:
        _merge(into, item, value)
    elif key.isdigit():  # an entry of a repeating group
        entries = into.setdefault(item, [])
        while len(entries) <= int(key):
            entries.append({})
        _merge(entries[int(key)], child, value)
    else:  # a follow-up of a ticked option
        details = into.setdefault(item + DETAILS_SUFFIX, {})
        _merge(details.setdefault(key, {}), child, value)


def _merge(into: dict, key: str, value: Any) -> None:
    """Set an answer; several facts may each add options to one multi-choice answer."""
    if isinstance(value, list) and isinstance(into.get(key), list):
        into[key] = into[key] + [one for one in value if one not in into[key]]
    else:
        assert key not in into or into[key] == value, f"two answers to {key}"
        into[key] = value


def written_text(pdf: bytes | list[Page]) -> str:
    """Return the PDF's text in the order it was written, with no whitespace at all.

    Written order keeps a question's text whole and puts its answer right after it, even where
    a narrow column wraps them side by side; without whitespace, a line break does not matter.
    """
    pages = pdf if isinstance(pdf, list) else pdf_pages(pdf)
    return "".join(char["text"] for page in pages for char in page.chars if char["text"].strip())


def squeezed(text: str) -> str:
    return "".join(text.split())


def facts_missing_from(pdf: bytes | list[Page], story: Story) -> list[tuple[str, str]]:
    """Return (fact, text) for each text a fact that was entered should show but the PDF lacks."""
    text = written_text(pdf)
    return [
        (fact.text, words)
        for fact in story.facts
        for words in fact.pdf
        if fact.place != "nowhere" and squeezed(words) not in text
    ]


def facts_table(stories: list[Story]) -> str:
    """Return the Markdown table of docs/stories.md: facts per story, by where they are entered."""
    lines = [
        "| Story | Facts | In a question made for them | Only in free text or Other | Nowhere |",
        "|---|---:|---:|---:|---:|",
    ]
    totals = [0, 0, 0]
    for story in stories:
        counts = [story.count(place) for place in PLACES]
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        number = story.slug[:2]
        lines.append(f"| {number} {story.title} | {sum(counts)} | {' | '.join(map(str, counts))} |")
    facts = sum(totals)
    question, free_text, nowhere = totals
    lines.append(
        f"| **Total** | **{facts}** | **{question} ({100 * question / facts:.1f}%)** "
        f"| **{free_text} ({100 * free_text / facts:.1f}%)** | **{nowhere}** |"
    )
    return "\n".join(lines)
