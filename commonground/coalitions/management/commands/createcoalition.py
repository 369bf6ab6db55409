from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from commonground.coalitions import actions
from commonground.coalitions.commands import user_by_email


class Command(BaseCommand):
    help = "Create a coalition and give it a focal point (an existing user, or an invitation)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name")
        parser.add_argument("--city", required=True)
        parser.add_argument("--country", required=True, help="two-letter ISO code, e.g. ID")
        parser.add_argument("--slug", default="", help="short name used in addresses")
        parser.add_argument("--focal-point", required=True, help="the focal point's email")
        parser.add_argument("--by", default="", help="email of the staff user doing this")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = user_by_email(options["by"])
        try:
            coalition, invited = actions.create_coalition_with_focal_point(
                actor,
                name=options["name"],
                city=options["city"],
                country=options["country"],
                slug=options["slug"],
                focal_point_email=options["focal_point"],
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        how = (
            f"an invitation was sent to {options['focal_point']}"
            if invited
            else f"{options['focal_point']} is its focal point"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created {coalition.name} ({coalition.slug}); {how}.")
        )
