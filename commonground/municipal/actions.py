"""Writes to the municipal session checklist. Each runs in a transaction and is audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.coalitions.audit import record, snapshot
from commonground.coalitions.models import Coalition
from commonground.municipal.defaults import default_items
from commonground.municipal.models import ROLE_SIDE, MunicipalSession, Participant, SessionItem
from commonground.municipal.sections import ITEM_SECTIONS, SECTION_OF_MODEL, load_checklist

SESSION_FIELDS = [
    "goal",
    "held_on",
    "venue",
    "endorsement_status",
    "endorsement_date",
    "endorsement_notes",
]
DOCUMENT_FIELDS = ["document_name", "document_size"]

# Suffix → the first bytes such a file starts with. Both must match: a renamed file is refused.
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def refresh_progress(session: MunicipalSession) -> None:
    """Store the overall progress on the session row (the dashboard reads only that)."""
    overall = load_checklist(session).overall
    session.progress_done, session.progress_total = overall.done, overall.total
    session.updated_at = timezone.now()
    session.save(update_fields=["progress_done", "progress_total", "updated_at"])


@transaction.atomic
def start_session(actor: User | None, coalition: Coalition) -> MunicipalSession:
    """The coalition's checklist, created with the usual items the first time."""
    session, created = MunicipalSession.objects.select_for_update().get_or_create(
        coalition=coalition, defaults={"created_by": actor}
    )
    if not created:
        return session
    for key, rows in default_items().items():
        model = ITEM_SECTIONS[key].model
        items = [model(coalition=coalition, session=session, **values) for values in rows]
        counters: dict[str, int] = {}
        for item in items:
            group = ""
            if isinstance(item, Participant):
                item.side = group = ROLE_SIDE[item.role]
            item.position = counters.get(group, 0)
            counters[group] = item.position + 1
        model._default_manager.bulk_create(items)
    record(actor, coalition, "municipal.start", session)
    refresh_progress(session)
    return session


@contextmanager
def _restored_on_error(obj: models.Model, values: dict[str, Any]) -> Iterator[None]:
    """Set ``values`` on ``obj``; if the block fails, the object is left as it was."""
    original = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        yield
    except Exception:
        for name, value in original.items():
            setattr(obj, name, value)
        raise


def _check_unknown(values: dict[str, Any], allowed: list[str] | tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})


@transaction.atomic
def update_session(actor: User, session: MunicipalSession, **values: Any) -> MunicipalSession:
    """The goal, the session's date and venue, and the endorsement's status, date and notes."""
    _check_unknown(values, SESSION_FIELDS)
    before = snapshot(session, SESSION_FIELDS)
    with _restored_on_error(session, values):
        session.full_clean(exclude=["coalition", "created_by"])
    session.updated_at = timezone.now()
    session.save(update_fields=[*values, "updated_at"])
    record(
        actor,
        session.coalition,
        "municipal.update",
        session,
        before,
        snapshot(session, SESSION_FIELDS),
    )
    refresh_progress(session)
    return session


def check_document(upload: UploadedFile) -> str:
    """The upload's suffix once its size, name and first bytes pass; else a ValidationError."""
    limit = settings.MAX_UPLOAD_SIZE
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "document": _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": size / 1_048_576, "limit": limit // 1_048_576}
            }
        )
    if size == 0:
        raise ValidationError({"document": _("The file is empty.")})
    suffix = Path(upload.name or "").suffix.lower()
    signatures = DOCUMENT_SIGNATURES.get(suffix)
    allowed = ", ".join(sorted(DOCUMENT_SIGNATURES))
    if signatures is None:
        raise ValidationError(
            {
                "document": _("Upload a document of one of these types: %(types)s.")
                % {"types": allowed}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {
                "document": _("The file's content is not a %(type)s document.")
                % {"type": suffix.lstrip(".").upper()}
            }
        )
    return suffix


def attach_document(
    actor: User, session: MunicipalSession, upload: UploadedFile
) -> MunicipalSession:
    """Store the signed endorsement (or the request letter), replacing any earlier one."""
    suffix = check_document(upload)
    relative = Path("municipal") / str(session.coalition_id) / f"{uuid.uuid4().hex}{suffix}"
    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    old = session.document_file
    try:
        with transaction.atomic():
            before = snapshot(session, DOCUMENT_FIELDS)
            session.document_path = str(relative)
            session.document_name = Path(upload.name or "document").name[:200]
            session.document_size = upload.size or 0
            session.document_uploaded_at = timezone.now()
            session.save(
                update_fields=[
                    "document_path",
                    "document_name",
                    "document_size",
                    "document_uploaded_at",
                ]
            )
            record(
                actor,
                session.coalition,
                "municipal.document.attach",
                session,
                before,
                snapshot(session, DOCUMENT_FIELDS),
            )
            refresh_progress(session)
            if old is not None:
                transaction.on_commit(lambda: old.unlink(missing_ok=True))
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return session


@transaction.atomic
def remove_document(actor: User, session: MunicipalSession) -> MunicipalSession:
    old = session.document_file
    if old is None:
        return session
    before = snapshot(session, DOCUMENT_FIELDS)
    session.document_path = ""
    session.document_name = ""
    session.document_size = 0
    session.document_uploaded_at = None
    session.save(
        update_fields=["document_path", "document_name", "document_size", "document_uploaded_at"]
    )
    record(actor, session.coalition, "municipal.document.remove", session, before=before)
    refresh_progress(session)
    transaction.on_commit(lambda: old.unlink(missing_ok=True))
    return session


def _validate(item: SessionItem) -> None:
    if isinstance(item, Participant):
        item.side = ROLE_SIDE.get(item.role, item.side)
    item.full_clean(exclude=["coalition", "session"])


def _siblings(item: SessionItem) -> list[SessionItem]:
    """The items an item is ordered among: its section (and, for people, its side)."""
    if isinstance(item, Participant):
        people = Participant.objects.filter(session_id=item.session_id, side=item.side)
        return list(people.order_by("position", "id"))
    qs = type(item)._default_manager.filter(session_id=item.session_id)
    return list(qs.order_by("position", "id"))


def _renumber(items: list[SessionItem]) -> None:
    """Positions 0, 1, 2… in the given order, so a position is always an item's place."""
    changed = []
    for position, sibling in enumerate(items):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, ["position"])


@transaction.atomic
def add_item(actor: User, session: MunicipalSession, section: str, **values: Any) -> SessionItem:
    spec = ITEM_SECTIONS[section]
    _check_unknown(values, spec.fields)
    item = spec.model(coalition_id=session.coalition_id, session=session, **values)
    _validate(item)
    item.position = len(_siblings(item))
    item.save()
    record(
        actor,
        session.coalition,
        f"municipal.{section}.create",
        item,
        after=snapshot(item, spec.fields),
    )
    refresh_progress(session)
    return item


@transaction.atomic
def update_item(actor: User, item: SessionItem, **values: Any) -> SessionItem:
    spec = SECTION_OF_MODEL[type(item)]
    _check_unknown(values, spec.fields)
    before = snapshot(item, spec.fields)
    old_side = getattr(item, "side", "")
    # (The side follows the role, so it is put back too if the new values are refused.)
    with _restored_on_error(item, {**values, "side": old_side} if old_side else values):
        _validate(item)
    item.updated_at = timezone.now()
    extra = []
    if isinstance(item, Participant):
        extra = ["side"]
        if item.side != old_side:
            # A new role on the other side of the table: last there, and the old side closes up.
            left = Participant(session_id=item.session_id, side=old_side)
            _renumber([s for s in _siblings(left) if s.pk != item.pk])
            item.position = len([s for s in _siblings(item) if s.pk != item.pk])
            extra.append("position")
    item.save(update_fields=[*values, *extra, "updated_at"])
    record(
        actor,
        item.session.coalition,
        f"municipal.{spec.key}.update",
        item,
        before,
        snapshot(item, spec.fields),
    )
    refresh_progress(item.session)
    return item


def toggle_item(actor: User, item: SessionItem) -> SessionItem:
    """Tick or untick the item's done flag (confirmed, agreed, done)."""
    return update_item(actor, item, **{item.flag_field: not getattr(item, item.flag_field)})


@transaction.atomic
def move_item(actor: User, item: SessionItem, index: int) -> SessionItem:
    """Put the item at ``index`` (from 0) among its siblings; the others close up around it."""
    spec = SECTION_OF_MODEL[type(item)]
    siblings = [s for s in _siblings(item) if s.pk != item.pk]
    index = max(0, min(index, len(siblings)))
    before = {"position": item.position}
    _renumber([*siblings[:index], item, *siblings[index:]])
    record(
        actor,
        item.session.coalition,
        f"municipal.{spec.key}.move",
        item,
        before,
        {"position": index},
    )
    return item


def sibling_index(item: SessionItem) -> int:
    return [s.pk for s in _siblings(item)].index(item.pk)


@transaction.atomic
def delete_item(actor: User, item: SessionItem) -> None:
    spec = SECTION_OF_MODEL[type(item)]
    session = item.session
    record(
        actor,
        session.coalition,
        f"municipal.{spec.key}.delete",
        item,
        before=snapshot(item, spec.fields),
    )
    item.delete()
    _renumber(_siblings(item))
    refresh_progress(session)
