from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.coalitions.commands import coalition_named
from commonground.coalitions.models import Coalition
from commonground.marketplace.actions import expire_listings
from commonground.marketplace.suggest import rematch_coalition


class Command(BaseCommand):
    help = (
        "Match every open need with every open offer again (all coalitions, or one), after "
        "expiring needs and offers past their dates."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--coalition", default="", help="only this coalition's short name")

    def handle(self, *args: Any, **options: Any) -> None:
        needs, offers = expire_listings()
        if needs or offers:
            self.stdout.write(f"Expired {needs} needs and {offers} offers.")
        coalitions = (
            [coalition_named(options["coalition"])]
            if options["coalition"]
            else list(Coalition.objects.order_by("slug"))
        )
        for coalition in coalitions:
            count = rematch_coalition(coalition.pk)
            self.stdout.write(f"{coalition.slug}: {count} suggested matches")
