"""``commonground analyse ...``: the Django-free analysis CLI under the project's command.

Argument parsing, help and exit codes belong to ``commonground.analysis.cli``; this file only
forwards the raw arguments, so on plain files the command never touches the database or
system checks. With ``--coalition`` it analyses that coalition's stored layers instead
(``commonground.places.cli``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run an urban-profile analysis (e.g. exposure) on plain files; no database needed."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        prog = f"{os.path.basename(argv[0])} {argv[1]}"
        if any(arg == "--coalition" or arg.startswith("--coalition=") for arg in argv[2:]):
            # A coalition's stored layers: this one path needs Django and the database.
            import django

            django.setup()
            from commonground.places.cli import main as on_layers

            sys.exit(on_layers(argv[2:], prog=prog))
        from commonground.analysis.cli import main

        sys.exit(main(argv[2:], prog=prog))

    def print_help(self, prog_name: str, subcommand: str) -> None:
        from commonground.analysis.cli import build_parser

        build_parser(f"{os.path.basename(prog_name)} {subcommand}").print_help()

    def add_arguments(self, parser: Any) -> None:
        # Only used by call_command(); the command line goes through run_from_argv.
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        from commonground.analysis.cli import main

        status = main([*args, *options.get("arguments", [])])
        if status:
            raise CommandError(f"analyse failed with exit status {status}", returncode=status)
