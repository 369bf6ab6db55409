from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from commonground.demo import (
    DEMO_PASSWORD,
    load_demo,
    load_helsinki_osm,
    load_jakarta_marketplace,
    load_jakarta_municipal_session,
    load_jakarta_places,
    load_jakarta_relationships,
    load_jakarta_stakeholders,
    logins,
)
from commonground.jobs.queue import run_pending


class Command(BaseCommand):
    help = "Migrate, load the demo coalitions (once) and run the web server with the worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already there; reused.")
        if load_jakarta_places():
            self.stdout.write("Jakarta's sample layers and areas loaded.")
        if load_jakarta_stakeholders():
            self.stdout.write("Jakarta's stakeholder map loaded (scored, with overdue contacts).")
        if load_jakarta_relationships():
            self.stdout.write("Jakarta's relationships loaded (the network map has a bridge).")
        if load_jakarta_municipal_session():
            self.stdout.write("Jakarta's municipal session checklist loaded (half done).")
        if load_jakarta_marketplace():
            self.stdout.write("Jakarta's marketplace loaded (needs, offers, a confirmed delivery).")
        if load_helsinki_osm():
            self.stdout.write("Helsinki's OpenStreetMap layers loaded (a third coalition).")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, role, where in logins():
            self.stdout.write(f"  {email:40} {role:28} {where}")
        self.stdout.write("")
        if options["no_serve"]:
            # No worker will start: do the queued work (emails, the sample analysis) now.
            run_pending()
        else:
            call_command("serve", port=options["port"])
