from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from commonground.lib.env import env_int


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and the background worker together."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("CG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("CG_PORT", 8000))
        parser.add_argument(
            "--workers",
            type=int,
            # Pages are CPU-bound Python: processes, not threads, use the cores (GIL).
            default=env_int("CG_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1),
            help="web worker processes (default: 2 per core + 1)",
        )
        parser.add_argument("--threads", type=int, default=env_int("CG_WEB_THREADS", 2))
        parser.add_argument("--no-worker", action="store_true", help="do not start the job worker")

    def handle(self, *args: Any, **options: Any) -> None:
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "commonground.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        children = [subprocess.Popen(web)]
        if not options["no_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "commonground.cli", "worker"]))
        self.stdout.write(
            f"Common Ground is running on http://{options['host']}:{options['port']}/ "
            "(Ctrl+C to stop)"
        )

        def stop(_signum: int = 0, _frame: Any = None) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
