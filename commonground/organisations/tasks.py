from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import translation

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import job, set_progress
from commonground.lib.tabular import TableImportError
from commonground.organisations.exchange import import_organisations


@job
def import_organisations_file(
    job_id: int,
    coalition_id: int,
    actor_id: int | None,
    path: str,
    filename: str,
    language: str = "",
) -> dict[str, Any]:
    """Import an uploaded file in the background; a refused file is a result, not a crash."""
    coalition = Coalition.objects.get(pk=coalition_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    upload = Path(path)
    # Messages are stored with the job: write them in the language the upload was made in.
    with translation.override(language or (actor.language if actor else None)):
        return _import(job_id, coalition, actor, upload, filename)


def _import(
    job_id: int, coalition: Coalition, actor: User | None, upload: Path, filename: str
) -> dict[str, Any]:
    try:
        result = import_organisations(
            actor,
            coalition,
            upload.read_bytes(),
            filename,
            progress=lambda percent, message: set_progress(job_id, percent, message),
        )
    except TableImportError as error:
        return {"ok": False, "errors": [str(e) for e in error.errors]}
    finally:
        upload.unlink(missing_ok=True)
    return {"ok": True, "summary": result.summary(), **vars(result)}
