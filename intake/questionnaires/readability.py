"""How hard a questionnaire's questions and options are to read, as a school reading grade."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

from .schema import Questionnaire

MAX_READING_GRADE = 8.0
HARDEST_SHOWN = 5


@dataclass(frozen=True)
class ReadingGrade:
    """Flesch-Kincaid grades: of the questions with their options, and of the help texts."""

    grade: float
    help_grade: float | None
    hardest: tuple[tuple[str, float], ...]  # (item id, grade of its question and options)

    def too_hard(self, limit: float = MAX_READING_GRADE) -> bool:
        return self.grade > limit


def reading_grade(questionnaire: Questionnaire) -> ReadingGrade:
    """Grade the questions and option labels (what must be read to answer); help apart."""
    texts: list[str] = []
    helps: list[str] = []
    per_item: list[tuple[str, float]] = []
    for _, _, item in questionnaire.iter_items():
        own = [_sentence(item.text)]
        own += [_sentence(option.label) for option in getattr(item, "options", None) or ()]
        texts += own
        per_item.append((item.id, _grade(own)))
        if item.help:
            helps.append(_sentence(item.help))
    hardest = sorted(per_item, key=lambda pair: pair[1], reverse=True)[:HARDEST_SHOWN]
    return ReadingGrade(_grade(texts), _grade(helps) if helps else None, tuple(hardest))


def _sentence(text: str) -> str:
    """Make each question or option its own sentence, as a reader meets it."""
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _grade(sentences: list[str]) -> float:
    return round(float(textstat.flesch_kincaid_grade(" ".join(sentences))), 1)
