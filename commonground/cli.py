"""The ``commonground`` console script: Django management commands under a friendlier name.

``commonground import-organisations FILE`` runs ``manage.py import_organisations FILE``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commonground", *argv[1:]])


if __name__ == "__main__":
    main()
