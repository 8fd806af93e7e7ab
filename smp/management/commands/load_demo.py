from django.core.management.base import BaseCommand
from django.db import transaction

from smp.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the Safer Maidstone Partnership demo (idempotent: safe to run again)."

    def handle(self, *args, **options) -> None:
        from priorities import demo as priorities_demo

        loaders = [priorities_demo.load]
        # Trends last: they summarise every series the other loaders created.
        for module in ("datasets.demo", "actionplans.demo", "datasets.demo_trends"):
            try:
                loaders.append(__import__(module, fromlist=["load"]).load)
            except ModuleNotFoundError:
                continue
        with transaction.atomic():
            for load in loaders:
                load()
        self.stdout.write(self.style.SUCCESS("Demo loaded: Safer Maidstone Partnership."))
        self.stdout.write(
            f"Demo logins (password for all: {DEMO_PASSWORD}):\n"
            "  cochair.council, cochair.police  – co-chairs\n"
            "  lead.soc, lead.da, lead.town, lead.cyp, lead.substance – priority leads\n"
            "  officer – officer / analyst;  partner – partner member\n"
            "  committee – committee member;  admin – administrator"
        )
