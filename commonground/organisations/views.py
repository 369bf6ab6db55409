from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.jobs.queue import enqueue
from commonground.lib.forms import add_action_errors
from commonground.organisations import actions
from commonground.organisations.access import (
    contacts_for,
    get_contact_for,
    get_import_job_for,
    get_organisation_for,
    search_organisations,
)
from commonground.organisations.duplicates import similar_organisations
from commonground.organisations.export import EXPORT_FORMATS, export_response
from commonground.organisations.forms import (
    ContactForm,
    ImportForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from commonground.organisations.models import Organisation
from commonground.organisations.tasks import import_organisations_file

PAGE_SIZE = 25


@coalition_view()
def organisation_list(request: CoalitionRequest) -> HttpResponse:
    membership = request.membership
    form = OrganisationFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = search_organisations(membership, params)
    page = Paginator(qs.order_by("name_key", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_formats": EXPORT_FORMATS,
    }
    template = (
        "organisations/_results.html"
        if request.htmx and request.htmx.target == "results"
        else "organisations/list.html"
    )
    return render(request, template, context)


@coalition_view()
def organisation_export(request: CoalitionRequest, fmt: str) -> HttpResponseBase:
    membership = request.membership
    form = OrganisationFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = search_organisations(membership, params)
    return export_response(qs, contacts_for(membership), fmt)


@coalition_view()
def organisation_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    membership = request.membership
    organisation = get_organisation_for(membership, pk)
    contacts = contacts_for(membership).filter(organisation=organisation)
    return render(
        request,
        "organisations/detail.html",
        {"organisation": organisation, "contacts": contacts, "contact_form": ContactForm()},
    )


@coalition_view(Can.EDIT_REGISTRY)
def organisation_create(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = OrganisationForm(request.POST or None)
    similar: list[Organisation] = []
    if request.method == "POST" and form.is_valid():
        similar = similar_organisations(form.cleaned_data["name"], form.cleaned_data["acronym"])
        if similar and not form.cleaned_data.get("confirm_not_duplicate"):
            form.offer_duplicate_confirmation()
            form.add_error(
                None,
                _(
                    "Some organisations in the registry look similar. Check them first, or confirm "
                    "that this is a different organisation."
                ),
            )
        else:
            try:
                organisation = actions.create_organisation(request.user, coalition, **form.values())
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": organisation.name})
                return redirect("organisations:detail", slug=coalition.slug, pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "similar": similar})


@coalition_view(Can.EDIT_REGISTRY)
def organisation_similar(request: CoalitionRequest) -> HttpResponse:
    """HTMX: likely duplicates while the user types a name or an acronym."""
    similar = similar_organisations(request.GET.get("name", ""), request.GET.get("acronym", ""))
    return render(request, "organisations/_similar.html", {"similar": similar})


@coalition_view(Can.EDIT_REGISTRY)
def organisation_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    coalition = request.coalition
    organisation = get_organisation_for(request.membership, pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changes = {f: values[f] for f in form.changed_data if f in values}
        # ModelForm already copied values onto the instance; reload so the audit sees "before".
        organisation.refresh_from_db()
        try:
            actions.update_organisation(request.user, coalition, organisation, **changes)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisations:detail", slug=coalition.slug, pk=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def organisation_membership(request: CoalitionRequest, pk: int) -> HttpResponse:
    coalition = request.coalition
    organisation = get_organisation_for(request.membership, pk)
    if request.POST.get("in_coalition") == "1":
        actions.add_to_coalition(request.user, coalition, organisation)
        messages.success(
            request, _("%(name)s is now in this coalition.") % {"name": organisation.name}
        )
    else:
        actions.remove_from_coalition(request.user, coalition, organisation)
        messages.success(
            request,
            _("%(name)s was taken off this coalition's list.") % {"name": organisation.name},
        )
    return redirect("organisations:detail", slug=coalition.slug, pk=organisation.pk)


@coalition_view(Can.EDIT_REGISTRY)
def contact_create(request: CoalitionRequest, pk: int) -> HttpResponse:
    coalition = request.coalition
    organisation = get_organisation_for(request.membership, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_contact(request.user, coalition, organisation, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("organisations:detail", slug=coalition.slug, pk=organisation.pk)
    return render(
        request, "organisations/contact_form.html", {"form": form, "organisation": organisation}
    )


@coalition_view(Can.EDIT_REGISTRY)
def contact_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    coalition = request.coalition
    contact = get_contact_for(request.membership, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            actions.delete_contact(request.user, contact)
            messages.success(request, _("Contact deleted."))
            return redirect("organisations:detail", slug=coalition.slug, pk=contact.organisation_id)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            # ModelForm already copied values onto the instance; reload so the audit sees "before".
            contact.refresh_from_db()
            try:
                actions.update_contact(request.user, contact, **changes)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Contact saved."))
                return redirect(
                    "organisations:detail", slug=coalition.slug, pk=contact.organisation_id
                )
    return render(
        request,
        "organisations/contact_form.html",
        {"form": form, "organisation": contact.organisation, "contact": contact},
    )


@coalition_view(Can.EDIT_REGISTRY)
def organisation_import(request: CoalitionRequest) -> HttpResponse:
    """Upload a CSV/XLSX; the import runs in the background and its page shows progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        queued = enqueue(
            import_organisations_file,
            coalition=request.coalition,
            coalition_id=request.coalition.pk,
            actor_id=request.user.pk,
            path=str(path),
            filename=upload.name,
            language=translation.get_language() or "",
        )
        return redirect("organisations:import_status", slug=request.coalition.slug, pk=queued.pk)
    return render(request, "organisations/import.html", {"form": form})


@coalition_view(Can.EDIT_REGISTRY)
def organisation_import_status(request: CoalitionRequest, pk: int) -> HttpResponse:
    queued = get_import_job_for(request.membership, pk)
    template = (
        "organisations/_import_status.html" if request.htmx else "organisations/import_status.html"
    )
    return render(request, template, {"job": queued})
