from django.urls import path, register_converter

from commonground.municipal import views
from commonground.municipal.sections import SECTION_KEYS


class SectionConverter:
    """One of the checklist's item sections (participants, objectives, tasks, …)."""

    regex = SECTION_KEYS

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SectionConverter, "section")

app_name = "municipal"

urlpatterns = [
    path("", views.session, name="session"),
    path("overview/", views.overview_edit, name="overview"),
    path("goal/", views.goal_edit, name="goal"),
    path("endorsement/", views.endorsement_edit, name="endorsement"),
    path("endorsement/document/", views.document, name="document"),
    path("endorsement/document/remove/", views.document_remove, name="document_remove"),
    path("export.docx", views.export_docx, name="export_docx"),
    path("print/", views.printable, name="print"),
    path("<section:section>/new/", views.item_create, name="item_create"),
    path("<section:section>/<int:pk>/", views.item_edit, name="item_edit"),
    path("<section:section>/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("<section:section>/<int:pk>/move/", views.item_move, name="item_move"),
    path("<section:section>/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
