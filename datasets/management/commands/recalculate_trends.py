"""Recalculate stored trend results: ``recalculate_trends --partnership SLUG [--all]``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from datasets.services.trends import trends_recalculate_partnership
from smp.models import Partnership


class Command(BaseCommand):
    help = (
        "Recalculate the trend statistics of a partnership. Unchanged series are skipped "
        "(by input fingerprint) unless --all is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--partnership", required=True, help="Partnership slug")
        parser.add_argument(
            "--all", action="store_true", help="Recalculate every series, even unchanged ones"
        )

    def handle(self, *args, **options) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug {options['partnership']!r}")
        started = time.perf_counter()
        run = trends_recalculate_partnership(
            partnership_id=partnership.pk, force=options["all"]
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{partnership.name}: {run.message} ({elapsed:.2f} s)")
