from django.urls import path

from commonground.places import analysis_views, views

app_name = "places"

urlpatterns = [
    path("", views.places, name="index"),
    path("map/", views.map_view, name="map"),
    path("areas/import/", views.area_import, name="area_import"),
    path("areas.geojson", views.area_features, name="area_features"),
    path("layers/new/", views.layer_create, name="layer_create"),
    path("layers/<int:pk>/", views.layer_detail, name="layer"),
    path("layers/<int:pk>/delete/", views.layer_delete, name="layer_delete"),
    path("layers/<int:pk>/features.geojson", views.layer_features, name="layer_features"),
    path("analyses/", analysis_views.analyses, name="analyses"),
    path("analyses/<int:pk>/", analysis_views.analysis, name="analysis"),
    path("analyses/<int:pk>/rerun/", analysis_views.analysis_rerun, name="analysis_rerun"),
    path(
        "analyses/<int:pk>/result.<str:fmt>",
        analysis_views.analysis_download,
        name="analysis_download",
    ),
]
