"""The analysis package must work without Django: the CLI runs it on plain files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MODULES = [
    "capacity",
    "cli",
    "export",
    "exposure",
    "io",
    "matching",
    "network",
    "osm",
    "risk",
    "summary",
]


def test_the_analysis_package_imports_without_django() -> None:
    code = (
        "import sys\n"
        + "".join(f"import commonground.analysis.{m}\n" for m in MODULES)
        + "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        + "assert not loaded, loaded\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_no_module_of_the_package_mentions_django() -> None:
    package = ROOT / "commonground" / "analysis"
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, source.name
