"""The endorsement document: validated on upload, stored privately, served to members only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonground.coalitions.models import AuditEntry
from commonground.municipal import actions
from commonground.municipal.models import MunicipalSession
from conftest import World

EDIT = reverse("municipal:endorsement", args=["alpha"])
DOWNLOAD = reverse("municipal:document", args=["alpha"])
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def pdf(name: str = "endorsement.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "endorsement_status": "endorsed",
        "endorsement_date": "2026-02-10",
        "endorsement_notes": "Signed by the mayor.",
    }
    data.update(changes)
    return data


def test_a_focal_point_records_the_endorsement_with_its_document(
    world: World, session: MunicipalSession, data_dir: Path
) -> None:
    response = world.client(world.owner).post(EDIT, form(document=pdf()))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.endorsement_status, str(session.endorsement_date)) == ("endorsed", "2026-02-10")
    assert session.document_name == "endorsement.pdf" and session.document_size == len(PDF)
    stored = session.document_file
    assert stored is not None and stored.read_bytes() == PDF
    assert data_dir in stored.parents and "municipal" in stored.parts
    assert AuditEntry.objects.filter(action="municipal.document.attach").exists()
    assert session.progress_done == 3  # requested, endorsed, document on file


def test_every_reader_downloads_the_document(world: World, session: MunicipalSession) -> None:
    actions.attach_document(world.owner, session, pdf("Signed letter.pdf"))
    for user in world.readers:
        response = world.client(user).get(DOWNLOAD)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert 'filename="Signed letter.pdf"' in response["Content-Disposition"]


def test_outsiders_get_404_for_the_document(world: World, session: MunicipalSession) -> None:
    actions.attach_document(world.owner, session, pdf())
    assert world.client(world.outsider).get(DOWNLOAD).status_code == 404
    assert world.client(None).get(DOWNLOAD).status_code == 302  # to the sign-in page


def test_without_a_document_the_download_goes_back_to_the_page(
    world: World, session: MunicipalSession
) -> None:
    response = world.client(world.observer).get(DOWNLOAD, follow=True)
    assert "No endorsement document is attached yet." in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_written(
    world: World, session: MunicipalSession, settings: Any, data_dir: Path
) -> None:
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    big = pdf(content=PDF + b"0" * (1024 * 1024))
    response = world.client(world.owner).post(EDIT, form(document=big))
    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()
    session.refresh_from_db()
    assert session.document_name == "" and session.endorsement_status == "not_requested"
    assert not list(data_dir.rglob("*.pdf"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Upload a document of one of these types"),
        ("letter.pdf", b"<html>not a pdf</html>", "The file&#x27;s content is not a PDF document."),
        ("scan.png", PDF, "not a PNG document"),
        ("letter.txt", b"plain text", "Upload a document of one of these types"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(
    world: World, session: MunicipalSession, data_dir: Path, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    response = world.client(world.owner).post(EDIT, form(document=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    session.refresh_from_db()
    assert session.document_name == ""
    assert not [p for p in data_dir.rglob("*") if p.is_file()]


def test_the_action_refuses_the_same_files_for_the_api_and_commands(
    world: World, session: MunicipalSession
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.attach_document(world.owner, session, SimpleUploadedFile("x.pdf", b"GIF89a"))
    assert "document" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.attach_document(world.owner, session, SimpleUploadedFile("x.pdf", b""))


def test_a_new_document_replaces_the_old_file(
    world: World, session: MunicipalSession, data_dir: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.attach_document(world.owner, session, pdf("first.pdf"))
    first = session.document_file
    png = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        actions.attach_document(world.owner, session, png)
    assert first is not None and not first.exists()
    assert [p.suffix for p in data_dir.rglob("*") if p.is_file()] == [".png"]


def test_removing_the_document_deletes_the_file(
    world: World, session: MunicipalSession, django_capture_on_commit_callbacks
) -> None:
    actions.attach_document(world.owner, session, pdf())
    stored = session.document_file
    remove = reverse("municipal:document_remove", args=["alpha"])
    assert world.client(world.member).post(remove).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.lead).post(remove, HTTP_HX_REQUEST="true")
    assert 'id="section-endorsement"' in response.content.decode()
    session.refresh_from_db()
    assert session.document_path == "" and stored is not None and not stored.exists()
    assert AuditEntry.objects.filter(action="municipal.document.remove").exists()


def test_the_endorsement_form_swaps_in_place_with_htmx(
    world: World, session: MunicipalSession
) -> None:
    client = world.client(world.owner)
    body = client.get(EDIT, HTTP_HX_REQUEST="true").content.decode()
    assert body.startswith('<section class="card" id="section-endorsement">')
    assert 'hx-encoding="multipart/form-data"' in body
    response = client.post(EDIT, form(endorsement_status="under_review"), HTTP_HX_REQUEST="true")
    assert "Under review" in response.content.decode()
