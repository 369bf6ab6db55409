from django.urls import path

from commonground.places import analysis_views, risk_views, views

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
    path("areas/indicators/", risk_views.area_indicators, name="area_indicators"),
    path("risk/", risk_views.risk_profiles, name="risk_profiles"),
    path("risk/<int:pk>/", risk_views.risk_profile, name="risk_profile"),
    path("risk/<int:pk>/indicators/", risk_views.risk_indicators, name="risk_indicators"),
    path("risk/<int:pk>/refresh/", risk_views.risk_refresh, name="risk_refresh"),
    path("risk/<int:pk>/delete/", risk_views.risk_delete, name="risk_delete"),
    path("risk/<int:pk>/result.<str:fmt>", risk_views.risk_download, name="risk_download"),
]
