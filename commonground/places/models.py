"""The urban profile's data: a coalition's areas and its spatial layers.

Areas are few (hundreds) and live in the database as WKB with a bounding box. Layers can
hold a million features: their features live in a GeoParquet file beside the database, and
the row here is the metadata (what, where, how many, from whom, under which licence).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    CITY = "city", _("City")
    SUBCITY = "subcity", _("Sub-city (district)")
    COMMUNITY = "community", _("Community (neighbourhood)")


class Area(models.Model):
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="areas"
    )
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    pcode = models.CharField(_("P-code"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Well-known binary in EPSG:4326; empty for communities without a place
    # ("migrant domestic workers").
    geometry = models.BinaryField(null=True, blank=True)
    min_x = models.FloatField(null=True, blank=True)
    min_y = models.FloatField(null=True, blank=True)
    max_x = models.FloatField(null=True, blank=True)
    max_y = models.FloatField(null=True, blank=True)
    # The coalition's own figures for the area (census, survey): {"poverty_rate": 23.5}.
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["level", "name", "id"]
        indexes = [models.Index(fields=["coalition", "level"], name="area_by_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "level", "name"], name="one_area_name_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})" if self.pcode else self.name


class LayerKind(models.TextChoices):
    ROADS = "roads", _("Streets and roads")
    BUILDINGS = "buildings", _("Buildings")
    BLOCKS = "blocks", _("Blocks")
    POPULATION = "population", _("Population")
    VULNERABLE = "vulnerable", _("Vulnerable elements")
    RESOURCES = "resources", _("Resources and capacities")
    HISTORIC = "historic", _("Historic hazard events")
    HAZARD = "hazard", _("Current hazard zones")
    OTHER = "other", _("Other")


class LayerStatus(models.TextChoices):
    IMPORTING = "importing", _("Importing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public")


class Layer(models.Model):
    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="layers"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LayerKind.choices)
    class_field = models.CharField(
        _("class field"),
        max_length=100,
        blank=True,
        help_text=_("For hazard zones: the attribute holding the class, e.g. FLOODPRONE."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        max_length=10, choices=LayerStatus.choices, default=LayerStatus.IMPORTING
    )
    error = models.TextField(blank=True)
    original_filename = models.CharField(max_length=300, blank=True)
    feature_count = models.PositiveIntegerField(default=0)
    geometry_type = models.CharField(max_length=40, blank=True)
    fields = models.JSONField(default=list, blank=True)
    repairs = models.JSONField(default=list, blank=True)
    min_x = models.FloatField(null=True, blank=True)
    min_y = models.FloatField(null=True, blank=True)
    max_x = models.FloatField(null=True, blank=True)
    max_y = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["coalition", "kind"], name="layer_by_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def data_path(self) -> Path:
        """Where the features are: one GeoParquet file per layer."""
        return Path(settings.DATA_DIR) / "layers" / str(self.coalition_id) / f"{self.pk}.parquet"


class ExposureRule(models.TextChoices):
    INTERSECTS = "intersects", _("Touches the zone (intersects)")
    CENTROID = "centroid", _("Centre inside the zone")
    MAJORITY = "majority", _("Most of it inside the zone")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AnalysisRun(models.Model):
    """One exposure analysis: its inputs and parameters, who asked, and its result table."""

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="analysis_runs"
    )
    name = models.CharField(_("name"), max_length=200)
    hazard_layer = models.ForeignKey(
        Layer, verbose_name=_("hazard layer"), on_delete=models.CASCADE, related_name="+"
    )
    hazard_classes = models.JSONField(
        _("hazard classes, most severe first"), default=list, blank=True
    )
    exposure_layer = models.ForeignKey(
        Layer,
        verbose_name=_("exposed layer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    exposure_field = models.CharField(_("break down by field"), max_length=100, blank=True)
    population_layer = models.ForeignKey(
        Layer,
        verbose_name=_("population layer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    population_field = models.CharField(_("population field"), max_length=100, blank=True)
    area_level = models.CharField(_("areas"), max_length=20, choices=AreaLevel.choices)
    rule = models.CharField(
        _("what counts as exposed"),
        max_length=20,
        choices=ExposureRule.choices,
        default=ExposureRule.INTERSECTS,
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=list, blank=True)  # one record per area × class
    shares = models.JSONField(default=list, blank=True)  # one record per area
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coalition", "-created_at"], name="run_by_coalition")]

    def __str__(self) -> str:
        return self.name

    def input_layers(self) -> list[Layer]:
        return [
            layer
            for layer in (self.hazard_layer, self.exposure_layer, self.population_layer)
            if layer is not None
        ]

    @property
    def is_stale(self) -> bool:
        """A layer it read has changed since: the figures may be out of date."""
        finished = self.finished_at
        return finished is not None and any(
            layer.updated_at > finished for layer in self.input_layers()
        )


class RiskProfile(models.Model):
    """A composite risk index per area (INFORM style), rolled up community → sub-city → city.

    The worker gathers each area's indicator values (exposure from a saved analysis, capacity
    from a resources layer, the coalition's own indicators uploaded per area) into ``values``;
    the indicators' dimensions and weights can then be changed on the page and the scores
    (``scores`` for the finest level, ``rollup`` for every level) are recomputed at once.
    """

    coalition = models.ForeignKey(
        "coalitions.Coalition", on_delete=models.CASCADE, related_name="risk_profiles"
    )
    name = models.CharField(_("name"), max_length=200)
    area_level = models.CharField(
        _("areas"), max_length=20, choices=AreaLevel.choices, default=AreaLevel.COMMUNITY
    )
    exposure_run = models.ForeignKey(
        AnalysisRun,
        verbose_name=_("exposure analysis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    population_layer = models.ForeignKey(
        Layer,
        verbose_name=_("population layer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    population_field = models.CharField(_("population field"), max_length=100, blank=True)
    resources_layer = models.ForeignKey(
        Layer,
        verbose_name=_("resources layer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resource_field = models.CharField(_("resource type field"), max_length=100, blank=True)
    resource_class = models.CharField(_("only resources of type"), max_length=100, blank=True)
    distance_m = models.PositiveIntegerField(
        _("walking distance (m)"),
        default=1000,
        help_text=_("People farther than this from the nearest resource lack access."),
    )
    indicators = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    values = models.JSONField(default=list, blank=True)  # one record per finest area
    scores = models.JSONField(default=list, blank=True)  # the same, scored and ranked
    rollup = models.JSONField(default=list, blank=True)  # every level, ranked within it
    score_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["coalition", "-created_at"], name="risk_by_coalition")]

    def __str__(self) -> str:
        return self.name

    def input_layers(self) -> list[Layer]:
        return [layer for layer in (self.population_layer, self.resources_layer) if layer]

    @property
    def is_stale(self) -> bool:
        """A layer, the analysis or the areas' indicators changed since the values were read."""
        finished = self.finished_at
        if finished is None:
            return False
        run = self.exposure_run
        return any(layer.updated_at > finished for layer in self.input_layers()) or bool(
            run and run.finished_at and run.finished_at > finished
        )
