from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonground.places.models import (
    AnalysisRun,
    AreaLevel,
    Layer,
    LayerKind,
    LayerStatus,
    RiskProfile,
    RunStatus,
)

SPATIAL_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".kml", ".fgb", ".csv", ".shp"}


class SpatialFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SPATIAL_SUFFIXES:
            raise forms.ValidationError(
                _("Upload GeoJSON, GeoPackage, a zipped Shapefile, KML, FlatGeobuf or CSV.")
            )
        if upload.size > settings.MAX_LAYER_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {
                    "size": upload.size / 1_048_576,
                    "limit": settings.MAX_LAYER_UPLOAD_SIZE / 1_048_576,
                }
            )
        return upload


class AreaImportForm(forms.Form):
    file = SpatialFileField(label=_("File with the areas"))
    level = forms.ChoiceField(label=_("Level"), choices=AreaLevel.choices)
    name_field = forms.CharField(
        label=_("Name field"),
        required=False,
        help_text=_(
            "Leave empty for files with COD-AB fields such as adm2_name or ADM2_EN. A pattern "
            "combines fields: {KEL_NAME} RW {RW}"
        ),
    )
    pcode_field = forms.CharField(label=_("P-code field"), required=False)


class LayerForm(forms.ModelForm):
    file = SpatialFileField(label=_("File"))

    class Meta:
        model = Layer
        fields = ["file", "name", "kind", "class_field", "source", "licence", "visibility"]


class AnalysisForm(forms.ModelForm):
    hazard_classes = forms.CharField(
        label=_("Hazard classes, most severe first"),
        required=False,
        help_text=_("e.g. YES,NO or high,medium,low. Leave empty to use the usual order."),
    )

    class Meta:
        model = AnalysisRun
        fields = [
            "name",
            "hazard_layer",
            "hazard_classes",
            "exposure_layer",
            "exposure_field",
            "population_layer",
            "population_field",
            "area_level",
            "rule",
        ]

    def __init__(self, *args: Any, coalition_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ready = Layer.objects.filter(coalition_id=coalition_id, status=LayerStatus.READY)
        self.fields["hazard_layer"].queryset = ready.filter(  # type: ignore[attr-defined]
            kind=LayerKind.HAZARD
        ).exclude(class_field="")
        self.fields["exposure_layer"].queryset = ready.exclude(  # type: ignore[attr-defined]
            kind=LayerKind.HAZARD
        )
        self.fields["population_layer"].queryset = ready.filter(  # type: ignore[attr-defined]
            kind=LayerKind.POPULATION
        )

    def clean_hazard_classes(self) -> list[str]:
        raw = self.cleaned_data.get("hazard_classes") or ""
        return [part.strip() for part in str(raw).split(",") if part.strip()]


class RiskProfileForm(forms.ModelForm):
    class Meta:
        model = RiskProfile
        fields = [
            "name",
            "area_level",
            "exposure_run",
            "population_layer",
            "population_field",
            "resources_layer",
            "resource_field",
            "resource_class",
            "distance_m",
        ]
        help_texts = {
            "exposure_run": _("Gives the hazard & exposure indicators (the share exposed)."),
            "resources_layer": _(
                "Shelters, clinics, water points…: gives resources per 1,000 people and the "
                "share of people beyond walking distance."
            ),
            "resource_class": _("Leave empty to count every resource of the layer."),
        }

    def __init__(self, *args: Any, coalition_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ready = Layer.objects.filter(coalition_id=coalition_id, status=LayerStatus.READY)
        self.fields["exposure_run"].queryset = AnalysisRun.objects.filter(  # type: ignore[attr-defined]
            coalition_id=coalition_id, status=RunStatus.DONE
        )
        self.fields["population_layer"].queryset = ready.filter(  # type: ignore[attr-defined]
            kind=LayerKind.POPULATION
        )
        self.fields["resources_layer"].queryset = ready.filter(  # type: ignore[attr-defined]
            kind__in=[LayerKind.RESOURCES, LayerKind.VULNERABLE, LayerKind.BUILDINGS]
        )


class AreaIndicatorsForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One row per area: a 'pcode' (or 'area' name) column, then one column per "
            "indicator, e.g. poverty_rate, share_over_65."
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=AreaLevel.choices, initial=AreaLevel.COMMUNITY
    )
