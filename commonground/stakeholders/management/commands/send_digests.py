from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commonground.accounts.models import User
from commonground.coalitions.commands import coalition_named
from commonground.jobs.queue import enqueue
from commonground.stakeholders.digest import owners_due, send_digest
from commonground.stakeholders.tasks import send_owner_digest


class Command(BaseCommand):
    help = (
        "Queue the weekly digest for every owner of a stakeholder engagement plan: their "
        "overdue contacts and those due in the coming week. Run it once a week (cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--coalition", default="", help="only this coalition's plans")
        parser.add_argument("--date", default="", help="the digest's day, YYYY-MM-DD (today)")
        parser.add_argument(
            "--now", action="store_true", help="send at once rather than through the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        coalition = coalition_named(options["coalition"]) if options["coalition"] else None
        try:
            day = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"--date {options['date']!r}: use YYYY-MM-DD") from None
        coalition_id = coalition.pk if coalition else None
        owners = owners_due(day, coalition_id)
        if options["now"]:
            sent = sum(
                send_digest(user, day, coalition_id)["sent"]
                for user in User.objects.filter(pk__in=owners, is_active=True)
            )
            self.stdout.write(f"Sent {sent} digest(s) for {day.isoformat()}.")
            return
        for user_id in owners:
            enqueue(
                send_owner_digest,
                coalition=coalition,
                user_id=user_id,
                day=day.isoformat(),
                coalition_id=coalition_id,
            )
        self.stdout.write(f"Queued {len(owners)} digest(s) for {day.isoformat()}.")
