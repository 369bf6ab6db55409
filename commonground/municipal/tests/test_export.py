"""The checklist as a Word document, read back with python-docx."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from commonground.municipal import actions
from commonground.municipal.models import MunicipalSession, Participant, Task
from conftest import World

EXPORT = reverse("municipal:export_docx", args=["alpha"])


@pytest.fixture
def filled(world: World, session: MunicipalSession) -> MunicipalSession:
    mayor = Participant.objects.get(session=session, role="mayor")
    actions.update_item(world.owner, mayor, name="Ana Alpha", title="Deputy mayor", confirmed=True)
    actions.add_item(
        world.owner, session, "participants", role="observer", name="Oscar", title="UN liaison"
    )
    first = Task.objects.filter(session=session).order_by("position").first()
    assert first is not None
    actions.update_item(world.owner, first, done=True, due_on="2026-01-15")
    actions.update_session(world.owner, session, goal="Every ward knows its risks", venue="Hall")
    return session


def read(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def test_every_reader_downloads_the_checklist_as_docx(
    world: World, filled: MunicipalSession
) -> None:
    for user in world.readers:
        response = world.client(user).get(EXPORT)
        assert response.status_code == 200, user
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert "municipal-session-alpha-" in response["Content-Disposition"]


def test_the_docx_has_a_heading_for_every_section(world: World, filled: MunicipalSession) -> None:
    response = world.client(world.observer).get(EXPORT)
    document = read(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == [
        "Session with the municipal authorities",
        "Participants",
        "Objectives",
        "Proposed coalition goal",
        "Points to agree",
        "Formal endorsement",
        "Roles and responsibilities",
        "Timeline",
        "Proposed agenda",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Alpha City Coalition" in text and "Every ward knows its risks" in text
    assert "☐ Agree a shared resilience vision for the city" in text
    assert "Total: 120 minutes" in text


def test_the_participants_table_lists_each_side_with_who_is_confirmed(
    world: World, filled: MunicipalSession
) -> None:
    response = world.client(world.member).get(EXPORT)
    document = read(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    participants = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in participants.rows]
    assert rows[0] == ["Side", "Role", "Name", "Title or position", "Confirmed"]
    assert rows[1] == [
        "Municipality",
        "Mayor or representative",
        "Ana Alpha",
        "Deputy mayor",
        "Yes",
    ]
    assert rows[2][:3] == ["Municipality", "Chief resilience officer", "—"]
    assert rows[-1] == ["Observers", "Observer", "Oscar", "UN liaison", "No"]
    assert len(rows) == 1 + 5


def test_the_tasks_table_has_who_is_responsible_when_and_whether_done(
    world: World, filled: MunicipalSession
) -> None:
    response = world.client(world.member).get(EXPORT)
    document = read(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    tables = {table.rows[0].cells[0].text: table for table in document.tables}
    tasks = [[cell.text for cell in row.cells] for row in tables["Task"].rows]
    assert tasks[0] == ["Task", "Responsible", "Due", "Done"]
    assert tasks[1][0] == "Send the invitation and the proposed agenda"
    assert tasks[1][1:] == ["Lead organisation", "Jan. 15, 2026", "Yes"]
    assert tasks[2][1:] == ["Municipality", "—", "No"]
    assert len(tasks) == 1 + 7
    agenda = [[cell.text for cell in row.cells] for row in tables["#"].rows]
    assert agenda[1] == ["1", "Welcome and introductions", "10", "—"]
    assert tables["Status"].rows[1].cells[0].text == "Not requested"


def test_outsiders_get_404_and_an_unstarted_checklist_sends_readers_back(world: World) -> None:
    assert world.client(world.outsider).get(EXPORT).status_code == 404
    response = world.client(world.observer).get(EXPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("municipal:session", args=["alpha"])
