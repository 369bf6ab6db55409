"""The municipal session through the API: members read, focal points and lead admins write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from commonground.coalitions.models import AuditEntry
from commonground.municipal import actions
from commonground.municipal.models import MunicipalSession, Objective, Participant, Task
from conftest import World

from .conftest import ApiFor

BASE = "/api/v1/coalitions/alpha/municipal-session/"
SECTIONS = ["participants", "objectives", "tasks", "milestones", "agenda"]


def test_every_reader_reads_the_whole_checklist(
    world: World, session: MunicipalSession, api_for: ApiFor
) -> None:
    for user in world.readers:
        response = api_for(user).get(BASE)
        assert response.status_code == 200, user
        data = response.json()
        assert data["endorsement_status"] == "not_requested" and data["document"] is None
        assert data["progress"]["overall"] == {
            "key": "overall",
            "label": "Overall",
            "done": 0,
            "total": 30,
            "percent": 0,
        }
        assert [s["key"] for s in data["progress"]["sections"]] == [
            "participants",
            "objectives",
            "endorsement",
            "tasks",
            "milestones",
            "agenda",
        ]
        assert [p["role"] for p in data["participants"]][:2] == ["mayor", "resilience_officer"]
        assert len(data["agenda"]) == 7


def test_reading_an_unstarted_checklist_is_404_until_a_manager_starts_it(
    world: World, api_for: ApiFor
) -> None:
    assert api_for(world.observer).get(BASE).status_code == 404
    assert api_for(world.member).post(BASE).status_code == 403
    assert not MunicipalSession.objects.exists()
    started = api_for(world.lead).post(BASE)
    assert started.status_code == 201 and len(started.json()["objectives"]) == 6
    assert api_for(world.owner).post(BASE).status_code == 200  # already there
    assert api_for(world.observer).get(BASE).status_code == 200


def test_outsiders_get_404_from_every_endpoint(
    world: World, session: MunicipalSession, api_for: ApiFor
) -> None:
    outsider = api_for(world.outsider)
    task = Task.objects.filter(session=session).first()
    assert task is not None
    assert outsider.get(BASE).status_code == 404
    assert outsider.post(BASE).status_code == 404
    assert outsider.patch(BASE, {"goal": "Stolen"}).status_code == 404
    assert outsider.get(f"{BASE}document/").status_code == 404
    assert outsider.delete(f"{BASE}document/").status_code == 404
    for section in SECTIONS:
        assert outsider.get(f"{BASE}{section}/").status_code == 404
        assert outsider.post(f"{BASE}{section}/", {"title": "x"}).status_code == 404
    detail = f"{BASE}tasks/{task.pk}/"
    assert outsider.get(detail).status_code == 404
    assert outsider.patch(detail, {"done": True}).status_code == 404
    assert outsider.delete(detail).status_code == 404
    # Not through their own coalition's endpoints either.
    actions.start_session(world.outsider, world.other)
    beta = f"/api/v1/coalitions/beta/municipal-session/tasks/{task.pk}/"
    assert outsider.patch(beta, {"done": True}).status_code == 404
    task.refresh_from_db()
    assert task.done is False
    session.refresh_from_db()
    assert session.goal == ""


@pytest.mark.parametrize("who", ["member", "community", "observer"])
def test_readers_cannot_write(
    world: World, session: MunicipalSession, api_for: ApiFor, who: str
) -> None:
    client = api_for(getattr(world, who))
    task = Task.objects.filter(session=session).first()
    assert task is not None
    assert client.patch(BASE, {"goal": "Mine"}).status_code == 403
    assert client.post(f"{BASE}tasks/", {"title": "Mine"}).status_code == 403
    assert client.patch(f"{BASE}tasks/{task.pk}/", {"done": True}).status_code == 403
    assert client.delete(f"{BASE}tasks/{task.pk}/").status_code == 403
    assert client.delete(f"{BASE}document/").status_code == 403
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n")
    assert client.post(f"{BASE}document/", {"file": upload}, format="multipart").status_code == 403
    assert client.post(BASE).status_code == 403
    for section in SECTIONS:
        assert client.get(f"{BASE}{section}/").status_code == 200


@pytest.mark.parametrize("who", ["owner", "lead"])
def test_managers_edit_the_session_and_its_items(
    world: World, session: MunicipalSession, api_for: ApiFor, who: str
) -> None:
    client = api_for(getattr(world, who))
    response = client.patch(
        BASE, {"goal": "Safer wards", "endorsement_status": "requested", "held_on": "2026-03-01"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["progress"]["overall"]["done"] == 2
    added = client.post(
        f"{BASE}tasks/", {"title": "Book the room", "responsible": "municipality", "done": True}
    )
    assert added.status_code == 201, added.json()
    assert added.json()["position"] == 7
    moved = client.patch(f"{BASE}tasks/{added.json()['id']}/", {"position": 0, "title": "Book"})
    assert (moved.json()["position"], moved.json()["title"]) == (0, "Book")
    titles = [t["title"] for t in client.get(f"{BASE}tasks/").json()["results"]]
    assert titles[0] == "Book" and len(titles) == 8
    assert client.delete(f"{BASE}tasks/{added.json()['id']}/").status_code == 204
    assert not Task.objects.filter(title="Book").exists()
    actions_logged = set(
        AuditEntry.objects.filter(action__startswith="municipal.").values_list("action", flat=True)
    )
    assert {"municipal.update", "municipal.tasks.create", "municipal.tasks.move"} <= actions_logged


def test_participants_link_only_to_this_coalitions_contacts(
    world: World, session: MunicipalSession, api_for: ApiFor
) -> None:
    client = api_for(world.owner)
    seat = Participant.objects.get(session=session, role="mayor")
    refused = client.patch(
        f"{BASE}participants/{seat.pk}/", {"contact": world.other_contact.pk, "name": "X"}
    )
    assert refused.status_code == 400 and "contact" in refused.json()
    linked = client.patch(
        f"{BASE}participants/{seat.pk}/",
        {"contact": world.contact.pk, "name": "Ana Alpha", "confirmed": True},
    )
    assert linked.status_code == 200
    assert linked.json()["contact_name"] == "Ana Alpha" and linked.json()["done"] is True
    moved_side = client.patch(f"{BASE}participants/{seat.pk}/", {"role": "observer"})
    assert moved_side.json()["side"] == "observer"
    sides = [p["side"] for p in client.get(f"{BASE}participants/").json()["results"]]
    assert sides == ["municipality", "lead", "lead", "observer"]


def test_the_actions_rules_come_back_as_field_errors(
    world: World, session: MunicipalSession, api_for: ApiFor
) -> None:
    client = api_for(world.owner)
    seat = Participant.objects.get(session=session, role="director")
    response = client.patch(f"{BASE}participants/{seat.pk}/", {"confirmed": True})
    assert response.status_code == 400
    assert response.json() == {"name": ["Name the participant before confirming them."]}
    bad = client.post(f"{BASE}agenda/", {"title": "Lunch", "duration_minutes": 0})
    assert bad.status_code == 400 and "duration_minutes" in bad.json()
    assert client.patch(BASE, {"endorsement_status": "maybe"}).status_code == 400
    assert Objective.objects.filter(session=session).count() == 6


def test_the_endorsement_document_is_uploaded_read_and_removed(
    world: World, session: MunicipalSession, api_for: ApiFor, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    pdf = b"%PDF-1.7\n%%EOF\n"
    client = api_for(world.owner)
    upload = SimpleUploadedFile("decree.pdf", pdf, content_type="application/pdf")
    response = client.post(f"{BASE}document/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    document = response.json()["document"]
    assert (document["name"], document["size"]) == ("decree.pdf", len(pdf))
    assert document["url"].endswith(f"{BASE}document/")
    read = api_for(world.observer).get(f"{BASE}document/")
    assert read.status_code == 200
    assert b"".join(read.streaming_content) == pdf  # type: ignore[attr-defined]
    wrong = SimpleUploadedFile("decree.pdf", b"MZ\x90\x00")
    refused = client.post(f"{BASE}document/", {"file": wrong}, format="multipart")
    assert refused.status_code == 400
    assert refused.json() == {"file": ["The file's content is not a PDF document."]}
    assert client.delete(f"{BASE}document/").status_code == 204
    assert api_for(world.observer).get(f"{BASE}document/").status_code == 404


def test_the_openapi_schema_describes_the_session_and_validates(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(target))
    schema = target.read_text()
    for path in [
        "/api/v1/coalitions/{slug}/municipal-session/:",
        "/api/v1/coalitions/{slug}/municipal-session/document/:",
        *[f"/api/v1/coalitions/{{slug}}/municipal-session/{s}/{{id}}/:" for s in SECTIONS],
    ]:
        assert path in schema, path
    # --fail-on-warn judges every app at once; this app's fields must add no warning to it.
    warnings = capsys.readouterr().err
    for field in ["role", "side", "kind", "responsible", "endorsement_status", "document"]:
        assert f'named "{field}"' not in warnings, field
    assert "municipal" not in warnings.lower()
