"""The checklist as a Word document (what NGOs and municipalities edit and sign)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt

from commonground.municipal.models import EndorsementStatus
from commonground.municipal.sections import Checklist, Progress

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _yes(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def _progress(document: DocumentObject, progress: Progress) -> None:
    text = _("%(done)d of %(total)d done (%(percent)d%%)") % {
        "done": progress.done,
        "total": progress.total,
        "percent": progress.percent,
    }
    document.add_paragraph().add_run(text).italic = True


def _table(document: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def build_docx(checklist: Checklist) -> DocumentObject:
    session = checklist.session
    progress = checklist.by_key
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(_("Session with the municipal authorities"), level=0)
    document.add_paragraph(session.coalition.name)
    facts = [
        (_("Date"), _date(session.held_on)),
        (_("Venue"), session.venue or "—"),
        (
            _("Overall progress"),
            _("%(done)d of %(total)d done")
            % {"done": checklist.overall.done, "total": checklist.overall.total},
        ),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    document.add_heading(_("Participants"), level=1)
    _progress(document, progress["participants"])
    _table(
        document,
        [_("Side"), _("Role"), _("Name"), _("Title or position"), _("Confirmed")],
        [
            [
                str(p.get_side_display()),
                str(p.get_role_display()),
                p.name or "—",
                p.title or "—",
                _yes(p.is_done),
            ]
            for _side, _label, people in checklist.participants_by_side
            for p in people
        ],
    )

    document.add_heading(_("Objectives"), level=1)
    _progress(document, progress["objectives"])
    document.add_heading(_("Proposed coalition goal"), level=2)
    document.add_paragraph(session.goal or _("Not written yet."))
    document.add_heading(_("Points to agree"), level=2)
    for point in checklist.objectives:
        mark = "☑" if point.agreed else "☐"
        document.add_paragraph(f"{mark} {point.text}", style="List Bullet")

    document.add_heading(_("Formal endorsement"), level=1)
    _progress(document, progress["endorsement"])
    status = EndorsementStatus(session.endorsement_status).label
    _table(
        document,
        [_("Status"), _("Date"), _("Document")],
        [[str(status), _date(session.endorsement_date), session.document_name or "—"]],
    )
    if session.endorsement_notes:
        document.add_paragraph(session.endorsement_notes)

    document.add_heading(_("Roles and responsibilities"), level=1)
    _progress(document, progress["tasks"])
    _table(
        document,
        [_("Task"), _("Responsible"), _("Due"), _("Done")],
        [
            [t.title, str(t.get_responsible_display()), _date(t.due_on), _yes(t.done)]
            for t in checklist.tasks
        ],
    )

    document.add_heading(_("Timeline"), level=1)
    _progress(document, progress["milestones"])
    _table(
        document,
        [_("Milestone"), _("Date"), _("Date confirmed")],
        [[m.title, _date(m.date), _yes(m.confirmed)] for m in checklist.milestones],
    )

    document.add_heading(_("Proposed agenda"), level=1)
    _progress(document, progress["agenda"])
    _table(
        document,
        ["#", _("Item"), _("Minutes"), _("Presenter")],
        [
            [str(n), a.title, str(a.duration_minutes), a.presenter or "—"]
            for n, a in enumerate(checklist.agenda, start=1)
        ],
    )
    document.add_paragraph(_("Total: %(minutes)d minutes") % {"minutes": checklist.agenda_minutes})
    document.core_properties.title = _("Session with the municipal authorities")
    document.core_properties.subject = session.coalition.name
    return document


def docx_response(checklist: Checklist) -> FileResponse:
    buffer = io.BytesIO()
    build_docx(checklist).save(buffer)
    buffer.seek(0)
    stamp = timezone.localdate().isoformat()
    name = f"municipal-session-{checklist.session.coalition.slug}-{stamp}.docx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=DOCX_TYPE)
