"""The summary PDF is tagged for screen readers: structure, title, language, valid file."""

import io
import subprocess
from collections import Counter

import pikepdf
import pytest

# pytest-django sets up the test database only for a run that asks for it; the shared
# renders need it even when these are the only tests run.
pytestmark = pytest.mark.django_db


def structure(node, found: Counter, figures: list) -> None:
    """Count the structure elements under a node; collect the figures."""
    if "/S" in node:
        found[str(node.S)] += 1
        if node.S == "/Figure":
            figures.append(node)
        if node.S == "/Table":
            found["table with a header cell"] += int(has_header_cell(node))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            structure(kid, found, figures)


def has_header_cell(node) -> bool:
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and (kid.get("/S") == "/TH" or has_header_cell(kid)):
            return True
    return False


@pytest.fixture
def demo_pdf(demo_render) -> bytes:
    return demo_render.pdf


def test_the_summary_is_tagged_titled_and_in_english(demo_pdf):
    with pikepdf.open(io.BytesIO(demo_pdf)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title).startswith("Patient intake summary")
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "A"
        found, figures = Counter(), []
        structure(root.StructTreeRoot, found, figures)
    for tag in ("/H1", "/H2", "/H3", "/H4", "/L", "/LI", "/Table", "/TH"):
        assert found[tag] > 0, tag
    assert found["table with a header cell"] == found["/Table"]
    assert all("/Alt" in figure for figure in figures)


def test_qpdf_finds_nothing_wrong_with_the_file(demo_pdf, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(demo_pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
