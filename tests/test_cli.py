from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonground.coalitions.models import Coalition, Invitation
from commonground.coalitions.roles import Role
from conftest import World, make_user

ROOT = Path(__file__).resolve().parent.parent


def test_createcoalition_makes_an_existing_user_its_focal_point(world: World) -> None:
    out = io.StringIO()
    call_command(
        "createcoalition",
        "Gamma Coalition",
        city="Gamma",
        country="pe",
        focal_point="member@a.test",
        stdout=out,
    )
    coalition = Coalition.objects.get(name="Gamma Coalition")
    assert coalition.country == "PE" and coalition.focal_point == world.member
    assert coalition.memberships.get().role == Role.FOCAL_POINT
    assert "member@a.test is its focal point" in out.getvalue()


def test_createcoalition_invites_someone_new_when_staff_is_named(world: World) -> None:
    staff = make_user("staff@example.org")
    call_command(
        "createcoalition",
        "Delta",
        city="Delta",
        country="FR",
        focal_point="new@delta.test",
        by=staff.email,
        stdout=io.StringIO(),
    )
    invitation = Invitation.objects.get(email="new@delta.test")
    assert invitation.role == Role.FOCAL_POINT and invitation.invited_by == staff


def test_createcoalition_refuses_bad_input_and_creates_nothing(world: World) -> None:
    with pytest.raises(CommandError, match="invitation needs a sender"):
        call_command(
            "createcoalition", "Epsilon", city="E", country="FR", focal_point="nobody@e.test"
        )
    with pytest.raises(CommandError, match="country"):
        call_command(
            "createcoalition", "Zeta", city="Z", country="France", focal_point="member@a.test"
        )
    with pytest.raises(CommandError, match="already taken"):
        call_command(
            "createcoalition",
            "Alpha again",
            city="A",
            country="ID",
            slug="alpha",
            focal_point="member@a.test",
        )
    assert not Coalition.objects.filter(name__in=["Epsilon", "Zeta", "Alpha again"]).exists()


def test_the_console_script_accepts_hyphenated_command_names(tmp_path: Path) -> None:
    env = {**os.environ, "CG_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "commonground.cli", "import-organisations", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout and "HXL" in result.stdout
