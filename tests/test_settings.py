"""Configuration is read strictly from the environment; production refuses unsafe setups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonground.lib.env import ConfigError, env_bool, env_int, parse_database_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "CG_PRODUCTION": "true",
    "CG_SECRET_KEY": "k7#Qz!p2Lw9@vR4s^Xb8&Nc3*Jd6(Hf1)Tg5_Ym0-Ue2+Ia7=Os4",
    "CG_ALLOWED_HOSTS": "coalition.example.org",
}


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CG_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    clean.update({"CG_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("word", ["true", "YES", "on", "1"])
def test_booleans_accept_the_usual_true_words(word: str) -> None:
    assert env_bool("X", environ={"X": word}) is True


def test_a_misspelt_boolean_is_an_error_not_false() -> None:
    with pytest.raises(ConfigError, match="X='ture' is not a boolean"):
        env_bool("X", environ={"X": "ture"})


def test_a_bad_number_is_an_error() -> None:
    with pytest.raises(ConfigError, match="not a whole number"):
        env_int("X", 1, environ={"X": "ten"})


def test_database_urls_select_the_engine() -> None:
    assert parse_database_url("sqlite:///var/db.sqlite3")["NAME"] == "var/db.sqlite3"
    assert parse_database_url("sqlite:////tmp/db.sqlite3")["NAME"] == "/tmp/db.sqlite3"
    pg = parse_database_url("postgres://cg:s%40cret@db.internal:6543/coalitions")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "cg",
        "s@cret",
        "db.internal",
        "6543",
        "coalitions",
    )
    with pytest.raises(ConfigError, match="not supported"):
        parse_database_url("mysql://x/y")


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**PRODUCTION}
    del env["CG_SECRET_KEY"]
    result = run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "CG_SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_stops_startup_with_the_variable_named(tmp_path: Path) -> None:
    result = run(["manage.py", "check"], {"CG_DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0 and "CG_DEBUG='maybe' is not a boolean" in result.stderr


def test_production_passes_the_deployment_checklist(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_email_goes_to_smtp_when_a_host_is_configured(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {"CG_EMAIL_HOST": "smtp.example.org", "DJANGO_SETTINGS_MODULE": "commonground.settings"}
    result = run(["-c", "import django; django.setup(); " + code], env, tmp_path)
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    env.pop("CG_EMAIL_HOST")
    result = run(["-c", "import django; django.setup(); " + code], env, tmp_path)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
