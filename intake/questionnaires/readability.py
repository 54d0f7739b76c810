"""How hard a questionnaire's questions and options are to read, as a school reading grade.

English is graded with Flesch-Kincaid; Spanish with Crawford's formula, made for Spanish texts
(Flesch-Kincaid counts Spanish's longer words as harder than they read).
"""

from __future__ import annotations

from contextlib import contextmanager
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


def reading_grade(questionnaire: Questionnaire, language: str = "en") -> ReadingGrade:
    """Grade the questions and option labels (what must be read to answer); help apart.

    Pass the questionnaire as the patient reads it (`translations.localize`) with its language.
    """
    with _graded_as(language) as grade:
        return _reading_grade(questionnaire, grade)


@contextmanager
def _graded_as(language: str):
    """Set textstat's language (a module-wide setting) for one grading, then restore English."""
    spanish = language.split("-")[0] == "es"
    textstat.set_lang("es" if spanish else "en_US")
    try:
        yield textstat.crawford if spanish else textstat.flesch_kincaid_grade
    finally:
        textstat.set_lang("en_US")


def _reading_grade(questionnaire: Questionnaire, formula) -> ReadingGrade:
    texts: list[str] = []
    helps: list[str] = []
    per_item: list[tuple[str, float]] = []
    for _, _, item in questionnaire.iter_items():
        own = [_sentence(item.text)]
        own += [_sentence(option.label) for option in getattr(item, "options", None) or ()]
        texts += own
        per_item.append((item.id, _grade(own, formula)))
        if item.help:
            helps.append(_sentence(item.help))
    hardest = sorted(per_item, key=lambda pair: pair[1], reverse=True)[:HARDEST_SHOWN]
    help_grade = _grade(helps, formula) if helps else None
    return ReadingGrade(_grade(texts, formula), help_grade, tuple(hardest))


def _sentence(text: str) -> str:
    """Make each question or option its own sentence, as a reader meets it."""
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _grade(sentences: list[str], formula) -> float:
    return round(float(formula(" ".join(sentences))), 1)
