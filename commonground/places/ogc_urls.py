"""OGC API – Features for one coalition, mounted at ``/ogc/<slug>/`` (see ``ogc.py``)."""

from django.urls import path

from commonground.places import ogc

app_name = "ogc"

urlpatterns = [
    path("", ogc.landing, name="landing"),
    path("api", ogc.api, name="api"),
    path("conformance", ogc.conformance, name="conformance"),
    path("collections", ogc.collections, name="collections"),
    path("collections/<str:collection_id>", ogc.collection, name="collection"),
    path("collections/<str:collection_id>/items", ogc.items, name="items"),
    path("collections/<str:collection_id>/items/<str:fid>", ogc.item, name="item"),
]
