"""The submitted summary PDF is a PDF/A-3a that carries the intake's FHIR Bundle."""

import hashlib
import io
import json
import subprocess

import pikepdf
import pytest

from tests.interop.fhir_checks import validate

# pytest-django sets up the test database only for a run that asks for it; the shared
# renders need it even when these are the only tests run.
pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(demo_render):
    return demo_render.pdf


def test_pdf_declares_pdf_a_3a_with_srgb_output_intent(archive):
    with pikepdf.open(io.BytesIO(archive)) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3"
            assert xmp["pdfaid:conformance"] == "A"
        intents = pdf.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intents[0]
        assert pdf.Root.MarkInfo.Marked  # tagged
        assert "/StructTreeRoot" in pdf.Root


def test_every_font_is_embedded(archive):
    with pikepdf.open(io.BytesIO(archive)) as pdf:
        fonts = [
            font
            for page in pdf.pages
            for font in page.Resources.Font.values()
            for font in [font, *font.get("/DescendantFonts", [])]
        ]
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                continue
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_carries_the_fhir_bundle_whose_sha256_the_footer_prints(archive, demo_render):
    with pikepdf.open(io.BytesIO(archive)) as pdf:
        ((name, attached),) = pdf.attachments.items()
        spec = attached.obj
        assert spec.AFRelationship == "/Data"
        assert spec.objgen in [entry.objgen for entry in pdf.Root.AF]
        stream = attached.get_file()
        assert stream.mime_type == "application/fhir+json"
        data = stream.read_bytes()
        assert bytes(pdf.trailer.ID[0]) == demo_render.intake_id.hex.encode()
    bundle = json.loads(data)
    assert name == f"intake-{demo_render.intake_id}.fhir.json"
    assert bundle["resourceType"] == "Bundle" and bundle["id"] == str(demo_render.intake_id)
    validate(bundle)
    digest = hashlib.sha256(data).hexdigest()
    text = subprocess.run(["pdftotext", "-", "-"], input=archive, capture_output=True).stdout
    assert f"SHA-256: {digest}" in text.decode().replace("\n", "")


def test_qpdf_check_passes(archive, tmp_path):
    path = tmp_path / "summary.pdf"
    path.write_bytes(archive)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
