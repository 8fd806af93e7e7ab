"""Scripted loads: exactly what the upload page does (same storage, same checks,
same task), for one or more files.

    python manage.py import_dataset --partnership SLUG --kind police_uk FILE...

Exit status is non-zero, and the problems are printed, when a file is rejected or
its import fails.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from datasets.models import Upload, UploadKind, UploadStatus
from datasets.services.uploads import upload_create
from datasets.tasks import import_upload
from smp.models import Partnership


class Command(BaseCommand):
    help = "Import data files for a partnership, as the upload page does."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("--kind", required=True, choices=[k.value for k in UploadKind])
        parser.add_argument("--series-name", default="",
                            help="two-column indicator files: the series name")
        parser.add_argument("--no-wait", action="store_true",
                            help="queue the imports and return (needs a worker)")
        parser.add_argument("--timeout", type=float, default=3600,
                            help="seconds to wait for each import (default 3600)")
        parser.add_argument("files", nargs="+")

    def handle(self, *args, **options) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership “{options['partnership']}”.")
        failed = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                with path.open("rb") as handle:
                    upload = upload_create(partnership=partnership, kind=options["kind"],
                                           file=File(handle, name=path.name), user=None,
                                           series_name=options["series_name"], enqueue=False)
            except ValidationError as exc:
                raise CommandError(f"{path}: {' '.join(exc.messages)} Nothing was "
                                   "stored.") from None
            import_upload.delay(upload.pk)  # the page's task (in-process when eager)
            if options["no_wait"]:
                self.stdout.write(f"{path}: queued as upload #{upload.pk}")
                continue
            upload = self._wait(upload, options["timeout"])
            failed += self._report(path, upload)
        if failed:
            raise CommandError(f"{failed} file(s) not imported")

    def _wait(self, upload: Upload, timeout: float) -> Upload:
        import time

        deadline = time.monotonic() + timeout
        while True:
            upload.refresh_from_db()
            if upload.is_finished or upload.is_stale:
                return upload
            if time.monotonic() > deadline:
                raise CommandError(f"Upload #{upload.pk} is still {upload.status} after "
                                   f"{timeout:.0f} s: is a Celery worker running?")
            time.sleep(0.5)

    def _report(self, path: Path, upload: Upload) -> int:
        if upload.status == UploadStatus.SUCCEEDED:
            s = upload.summary
            self.stdout.write(self.style.SUCCESS(
                f"{path}: imported as upload #{upload.pk}: {s.get('rows_accepted', 0):,} rows "
                f"accepted, {s.get('new_records', 0):,} new, {s.get('replaced_records', 0):,} "
                f"replaced, {s.get('months', 0)} periods"))
            for warning in s.get("warnings", []):
                self.stdout.write(f"  warning: {warning}")
            return 0
        if upload.status == UploadStatus.REJECTED:
            self.stderr.write(f"{path}: rejected, {upload.error_count:,} problem(s); nothing "
                              "was changed")
            for e in upload.errors:
                self.stderr.write(f"  row {e['row']}, {e['column'] or '-'}: {e['reason']}")
            if upload.error_count > len(upload.errors):
                self.stderr.write(f"  … and {upload.error_count - len(upload.errors):,} more "
                                  f"(full report: {upload.error_report.path})")
            return 1
        self.stderr.write(f"{path}: import failed: {upload.error or upload.shown_status}")
        return 1
