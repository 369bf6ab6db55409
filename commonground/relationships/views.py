"""Pages for a coalition's relationships: list, add, edit, delete, import and export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.lib.tabular import TableImportError, read_upload
from commonground.relationships import actions
from commonground.relationships.access import get_relationship_for, search_relationships
from commonground.relationships.exchange import (
    EXPORT_FORMATS,
    HEADERS,
    export_response,
    import_relationships,
)
from commonground.relationships.forms import ImportForm, RelationshipFilterForm, RelationshipForm
from commonground.relationships.models import directed_by_default

PAGE_SIZE = 25


@coalition_view()
def relationship_list(request: CoalitionRequest) -> HttpResponse:
    form = RelationshipFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = search_relationships(request.membership, params).select_related("source", "target")
    # Newest first: the coalition's index already holds its rows in id order.
    page = Paginator(qs.order_by("-id"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page.get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "export_formats": EXPORT_FORMATS,
    }
    template = (
        "relationships/_results.html"
        if request.htmx and request.htmx.target == "results"
        else "relationships/list.html"
    )
    return render(request, template, context)


@coalition_view()
def relationship_export(request: CoalitionRequest, fmt: str) -> HttpResponseBase:
    form = RelationshipFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    return export_response(request.coalition, search_relationships(request.membership, params), fmt)


@coalition_view(Can.EDIT_REGISTRY)
def relationship_create(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    initial = {k: request.GET[k] for k in ("source", "target") if request.GET.get(k, "").isdigit()}
    form = RelationshipForm(request.POST or None, coalition=coalition, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            relationship = actions.create_relationship(
                request.user,
                coalition,
                values.pop("source"),
                values.pop("target"),
                values.pop("type"),
                **values,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Recorded: %(what)s.") % {"what": relationship})
            return redirect("relationships:list", slug=coalition.slug)
    return render(request, "relationships/form.html", {"form": form})


@coalition_view(Can.EDIT_REGISTRY)
def relationship_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    coalition = request.coalition
    relationship = get_relationship_for(request.membership, pk)
    if request.method == "POST" and request.POST.get("delete") == "1":
        actions.delete_relationship(request.user, relationship)
        messages.success(request, _("Relationship deleted."))
        return redirect("relationships:list", slug=coalition.slug)
    form = RelationshipForm(request.POST or None, instance=relationship, coalition=coalition)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if values["directed"] is None:
            values["directed"] = directed_by_default(values["type"])
        # ModelForm already copied values onto the instance; reload so the audit sees "before".
        relationship.refresh_from_db()
        try:
            actions.update_relationship(request.user, relationship, **values)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("relationships:list", slug=coalition.slug)
    return render(request, "relationships/form.html", {"form": form, "relationship": relationship})


@coalition_view(Can.EDIT_REGISTRY)
def relationship_import(request: CoalitionRequest) -> HttpResponse:
    """Upload a CSV/XLSX; relationship files are small, so the import runs right away."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_upload(upload, settings.MAX_UPLOAD_SIZE)
            result = import_relationships(request.user, request.coalition, data, upload.name)
        except TableImportError as error:
            errors = [str(e) for e in error.errors]
        else:
            messages.success(request, result.summary())
            return redirect("relationships:list", slug=request.coalition.slug)
    return render(
        request,
        "relationships/import.html",
        {"form": form, "errors": errors, "headers": HEADERS},
    )
