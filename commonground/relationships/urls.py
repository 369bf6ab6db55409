from django.urls import path

from commonground.relationships import views

app_name = "relationships"

urlpatterns = [
    path("", views.relationship_list, name="list"),
    path("new/", views.relationship_create, name="create"),
    path("import/", views.relationship_import, name="import"),
    path("export.<str:fmt>", views.relationship_export, name="export"),
    path("<int:pk>/", views.relationship_edit, name="edit"),
]
