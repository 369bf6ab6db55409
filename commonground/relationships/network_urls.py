from django.urls import path

from commonground.relationships import network_views

app_name = "network"

urlpatterns = [
    path("", network_views.network_map, name="map"),
    path("graph.json", network_views.network_graph, name="graph"),
    path("path.json", network_views.network_path, name="path"),
    path("metrics/", network_views.network_metrics, name="metrics"),
]
