"""Import and export of the stakeholder map; contacts as vCard."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.tabular import TableImportError, read_upload
from commonground.stakeholders import criteria_actions
from commonground.stakeholders.access import (
    coalition_contacts,
    get_stakeholder_for,
    search_stakeholders,
    stakeholders_for,
)
from commonground.stakeholders.exchange import import_stakeholders
from commonground.stakeholders.export import export_response, vcard_response, vcards
from commonground.stakeholders.forms import ImportForm
from commonground.stakeholders.views.common import filter_params


@coalition_view()
def stakeholder_export(request: CoalitionRequest, fmt: str) -> HttpResponseBase:
    _form, params, _query = filter_params(request)
    qs = search_stakeholders(request.membership, params)
    # The score columns are the criteria's: make sure the defaults exist.
    criteria_actions.ensure_default_criteria(request.user, request.coalition)
    return export_response(request.coalition.pk, qs, fmt)


@coalition_view(Can.EDIT_REGISTRY)
def stakeholder_import(request: CoalitionRequest) -> HttpResponse:
    """Upload a file; it is checked whole and imported at once, or refused with every error."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_upload(upload, settings.MAX_UPLOAD_SIZE)
            result = import_stakeholders(request.user, request.coalition, data, upload.name)
        except TableImportError as error:
            errors = [str(e) for e in error.errors]
        else:
            messages.success(request, result.summary())
            return redirect("stakeholders:list", slug=request.coalition.slug)
    status = 400 if errors else 200
    return render(
        request, "stakeholders/import.html", {"form": form, "errors": errors}, status=status
    )


@coalition_view()
def contacts_vcard(request: CoalitionRequest) -> HttpResponseBase:
    """Every contact on the stakeholder map (filtered like the list) as one .vcf file."""
    _form, params, _query = filter_params(request)
    qs = search_stakeholders(request.membership, params)
    cards = vcards(qs, coalition_contacts(request.membership))
    return vcard_response(cards, f"stakeholders-{request.coalition.slug}.vcf")


@coalition_view()
def stakeholder_vcard(request: CoalitionRequest, pk: int) -> HttpResponseBase:
    stakeholder = get_stakeholder_for(request.membership, pk)
    qs = stakeholders_for(request.membership).filter(pk=stakeholder.pk)
    cards = vcards(qs, coalition_contacts(request.membership))
    name = slugify(stakeholder.name)[:60] or "stakeholder"
    return vcard_response(cards, f"{name}.vcf")
