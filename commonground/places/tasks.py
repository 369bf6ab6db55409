from __future__ import annotations

from pathlib import Path

from commonground.analysis import LayerError
from commonground.jobs.queue import job, set_progress
from commonground.places.actions import fail_layer, store_layer_features
from commonground.places.models import Layer


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
