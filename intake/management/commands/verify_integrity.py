"""Recompute every submitted answer's and stored PDF's SHA-256 and the audit chain."""

from django.core.management.base import BaseCommand, CommandError

from intake.integrity.verify import verify_all


class Command(BaseCommand):
    help = (
        "Check submitted answers and stored PDFs against their SHA-256 and the audit hash chain; "
        "name each mismatch (ids only) and exit non-zero if there is any."
    )

    def handle(self, *args, **options):
        report = verify_all()
        for mismatch in report.mismatches:
            self.stdout.write(mismatch)
        checked = (
            f"{report.responses} submitted response(s), {report.pdfs} stored PDF(s), "
            f"{report.media_files} photo(s) and video(s), "
            f"{report.events} audit event(s) in {report.chains} chain(s)"
        )
        if report.mismatches:
            raise CommandError(f"{len(report.mismatches)} mismatch(es) in {checked}.")
        self.stdout.write(f"Verified {checked}: everything matches.")
