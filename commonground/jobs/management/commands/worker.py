from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from commonground.jobs.queue import run_pending, work_forever


class Command(BaseCommand):
    help = "Run background jobs from the database queue (until stopped, or once with --once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            count = run_pending()
            self.stdout.write(f"ran {count} job(s)")
            return
        stopping = False

        def stop(_signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        work_forever(settings.JOBS_POLL_INTERVAL, stop=lambda: stopping)
