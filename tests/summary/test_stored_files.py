"""Stored summary PDFs: readable by the app's user only, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.conf import settings

from intake.summary.service import summary_pdf

pytestmark = pytest.mark.django_db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask 022", "umask 000"])
def loose_umask(request):
    previous = os.umask(request.param)
    yield
    os.umask(previous)


@pytest.fixture
def quick_render(monkeypatch):
    monkeypatch.setattr(
        "intake.summary.service.render_pdf", lambda html, **options: b"%PDF-1.7 stand-in"
    )


def test_a_stored_pdf_is_0600_in_0700_folders(loose_umask, quick_render, submitted_intake):
    summary_pdf(submitted_intake)
    stored = Path(submitted_intake.summary_pdf.path)
    root = Path(settings.MEDIA_ROOT)
    assert stored.is_file() and stored.is_relative_to(root)
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700
    assert mode(root) == 0o700


def test_folders_made_earlier_with_looser_modes_are_tightened(quick_render, submitted_intake):
    root = Path(settings.MEDIA_ROOT)
    (root / "summaries").mkdir(parents=True)
    os.chmod(root, 0o755)
    os.chmod(root / "summaries", 0o777)
    summary_pdf(submitted_intake)
    assert mode(Path(submitted_intake.summary_pdf.path)) == 0o600
    assert mode(root / "summaries") == 0o700
    assert mode(root) == 0o700
