from __future__ import annotations

from pathlib import Path

from commonground.analysis import LayerError
from commonground.jobs.queue import job, set_progress
from commonground.places.actions import fail_layer, store_layer_features
from commonground.places.models import AnalysisRun, Layer, RunStatus
from commonground.places.runs import execute


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
    set_progress(job_id, 10, "Analysing")
    execute(run)
    if run.status == RunStatus.FAILED:
        return {"ok": False, "error": run.error}
    return {"ok": True, "rows": len(run.result)}


@job
def gather_risk_profile(job_id: int, profile_id: int) -> dict[str, object]:
    from commonground.places.models import RiskProfile
    from commonground.places.profiles import execute as execute_profile

    profile = RiskProfile.objects.select_related(
        "coalition", "exposure_run__exposure_layer", "population_layer", "resources_layer"
    ).get(pk=profile_id)
    set_progress(job_id, 10, "Gathering indicators")
    execute_profile(profile)
    if profile.status == RunStatus.FAILED:
        return {"ok": False, "error": profile.error}
    return {"ok": True, "areas": len(profile.values)}
