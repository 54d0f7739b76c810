"""Compile the patient pages' translations (locale/*/django.po) with Python: no msgfmt needed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def compiled(po_path: Path) -> bytes:
    """Return the .mo bytes of a .po file, as polib writes them (a development dependency)."""
    import polib

    catalogue = polib.pofile(str(po_path))
    catalogue.metadata_is_fuzzy = False
    return catalogue.to_binary()


def catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Write locale/<language>/LC_MESSAGES/django.mo from django.po (commit both)."

    def handle(self, *args, **options):
        for po_path in catalogues():
            po_path.with_suffix(".mo").write_bytes(compiled(po_path))
            self.stdout.write(f"wrote {po_path.with_suffix('.mo')}")
