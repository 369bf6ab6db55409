from django.urls import path

from commonground.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("similar/", views.organisation_similar, name="similar"),
    path("import/", views.organisation_import, name="import"),
    path("import/<int:pk>/", views.organisation_import_status, name="import_status"),
    path("export.<str:fmt>", views.organisation_export, name="export"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/coalition/", views.organisation_membership, name="membership"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
]
