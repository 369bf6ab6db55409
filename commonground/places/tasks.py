from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from commonground.analysis import LayerError
from commonground.jobs.queue import job, set_progress
from commonground.places.actions import fail_layer, store_layer_features
from commonground.places.models import AnalysisRun, Layer, RunStatus
from commonground.places.runs import compute, records


@job
def import_layer_file(job_id: int, layer_id: int, path: str) -> dict[str, object]:
    layer = Layer.objects.get(pk=layer_id)
    upload = Path(path)
    try:
        store_layer_features(
            layer, upload, progress=lambda percent, message: set_progress(job_id, percent, message)
        )
    except LayerError as error:
        fail_layer(layer, str(error))
        return {"ok": False, "error": str(error)}
    finally:
        upload.unlink(missing_ok=True)
    return {"ok": True, "features": layer.feature_count}


@job
def run_exposure_analysis(job_id: int, run_id: int) -> dict[str, object]:
    run = AnalysisRun.objects.select_related(
        "hazard_layer", "exposure_layer", "population_layer"
    ).get(pk=run_id)
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    set_progress(job_id, 10, "Analysing")
    try:
        result, shares = compute(run)
    except (LayerError, ValueError, KeyError) as error:
        run.status, run.error = RunStatus.FAILED, str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return {"ok": False, "error": run.error}
    run.result, run.shares = records(result), records(shares)
    run.warnings = [str(w) for w in result.attrs.get("warnings", [])]
    run.status, run.error, run.finished_at = RunStatus.DONE, "", timezone.now()
    run.save(update_fields=["result", "shares", "warnings", "status", "error", "finished_at"])
    return {"ok": True, "rows": len(run.result)}
