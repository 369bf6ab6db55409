"""The checklist page and its inline edits.

Every edit works twice: as an HTMX request that swaps one section of the page (and the
overall progress, out of band), and as a plain form post that redirects back to the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.municipal import actions
from commonground.municipal.access import (
    contact_choices_for,
    get_item_for,
    get_session_for,
    session_for,
)
from commonground.municipal.export import docx_response
from commonground.municipal.forms import EndorsementForm, GoalForm, SessionForm, item_form
from commonground.municipal.models import MunicipalSession, SessionItem
from commonground.municipal.sections import ITEM_SECTIONS, Checklist, load_checklist

# Sections the page can re-render on their own (HTMX targets ``#section-<key>``).
PAGE_SECTIONS = ("overview", "endorsement", *ITEM_SECTIONS)


# The session's own fields, edited in three places: (form title, URL name) by section.
SESSION_FORMS = {
    "overview": (gettext_lazy("The session"), "municipal:overview"),
    "objectives": (gettext_lazy("Proposed coalition goal"), "municipal:goal"),
    "endorsement": (gettext_lazy("Formal endorsement"), "municipal:endorsement"),
}


def _page_url(request: CoalitionRequest, section: str = "") -> str:
    url = reverse("municipal:session", args=[request.coalition.slug])
    return f"{url}#section-{section}" if section else url


def _context(request: CoalitionRequest, checklist: Checklist, **extra: Any) -> dict[str, Any]:
    can_manage = request.membership.can(Can.MANAGE)
    add_forms: dict[str, forms.ModelForm] = {}
    if can_manage:
        contacts = contact_choices_for(request.membership)
        add_forms = {
            key: item_form(
                key,
                instance=_new_item(checklist.session, key),
                contacts=contacts,
                prefix=f"new-{key}",
            )
            for key in ITEM_SECTIONS
        }
    failed = extra.pop("add_form", None)
    if failed is not None:
        add_forms[extra["section_key"]] = failed
    return {
        "checklist": checklist,
        "session": checklist.session,
        "progress": checklist.by_key,
        "overall": checklist.overall,
        "can_manage": can_manage,
        "add_forms": add_forms,
        **extra,
    }


def _section(request: CoalitionRequest, key: str, **extra: Any) -> HttpResponse:
    """One section, freshly loaded, with the overall progress swapped out of band."""
    checklist = load_checklist(get_session_for(request.membership))
    context = _context(request, checklist, section_key=key, oob=True, **extra)
    return render(request, f"municipal/_section_{key}.html", context)


def _done(request: CoalitionRequest, key: str, message: str = "") -> HttpResponse:
    """After a successful edit: the section for HTMX, otherwise back to the page."""
    if request.htmx:
        response = _section(request, key)
        return reswap(retarget(response, f"#section-{key}"), "outerHTML")
    if message:
        messages.success(request, message)
    return redirect(_page_url(request, key))


def _failed(request: CoalitionRequest, key: str, error: ValidationError) -> HttpResponse:
    """A refused click (toggle, move): the section with the reason, or a message."""
    if request.htmx:
        response = _section(request, key, error=" ".join(error.messages))
        return reswap(retarget(response, f"#section-{key}"), "outerHTML")
    messages.error(request, " ".join(error.messages))
    return redirect(_page_url(request, key))


@coalition_view()
def session(request: CoalitionRequest) -> HttpResponse:
    """The checklist. Someone who may manage starts it on their first visit."""
    found = session_for(request.membership)
    if found is None and request.membership.can(Can.MANAGE):
        found = actions.start_session(request.user, request.coalition)
    if found is None:
        return render(request, "municipal/not_started.html")
    key = request.GET.get("section", "")
    if request.htmx and key in PAGE_SECTIONS:
        return _section(request, key)
    checklist = load_checklist(found)
    return render(request, "municipal/session.html", _context(request, checklist))


def _managed_session(request: CoalitionRequest) -> MunicipalSession:
    """The session for someone who may manage it, started if this is the first visit."""
    return session_for(request.membership) or actions.start_session(request.user, request.coalition)


def _edit_session(
    request: CoalitionRequest, key: str, form_class: type[forms.ModelForm]
) -> HttpResponse:
    found = _managed_session(request)
    form = form_class(request.POST or None, request.FILES or None, instance=found)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data if name != "document"}
        upload = form.cleaned_data.get("document")
        found.refresh_from_db()  # the form copied its values onto it; the audit needs "before"
        try:
            with transaction.atomic():  # a refused document keeps the status unchanged too
                if values:
                    actions.update_session(request.user, found, **values)
                if upload:
                    actions.attach_document(request.user, found, upload)
        except ValidationError as error:
            found.refresh_from_db()
            add_action_errors(form, error)
        else:
            return _done(request, key, _("Changes saved."))
    title, url_name = SESSION_FORMS[key]
    context = {
        "form": form,
        "section_key": key,
        "session": found,
        "title": title,
        "action": reverse(url_name, args=[request.coalition.slug]),
    }
    template = "municipal/_session_form.html" if request.htmx else "municipal/session_form.html"
    return render(request, template, context)


@coalition_view(Can.MANAGE)
def overview_edit(request: CoalitionRequest) -> HttpResponse:
    return _edit_session(request, "overview", SessionForm)


@coalition_view(Can.MANAGE)
def goal_edit(request: CoalitionRequest) -> HttpResponse:
    return _edit_session(request, "objectives", GoalForm)


@coalition_view(Can.MANAGE)
def endorsement_edit(request: CoalitionRequest) -> HttpResponse:
    return _edit_session(request, "endorsement", EndorsementForm)


@coalition_view()
def document(request: CoalitionRequest) -> HttpResponseBase:
    """The endorsement document, for members only (it is never under a public URL)."""
    found = session_for(request.membership)
    path = found.document_file if found else None
    if found is None or path is None:
        messages.info(request, _("No endorsement document is attached yet."))
        return redirect(_page_url(request, "endorsement"))
    if not path.is_file():
        raise Http404("The document is missing from storage")
    return FileResponse(path.open("rb"), as_attachment=True, filename=found.document_name)


@require_POST
@coalition_view(Can.MANAGE)
def document_remove(request: CoalitionRequest) -> HttpResponse:
    actions.remove_document(request.user, get_session_for(request.membership))
    return _done(request, "endorsement", _("The document was removed."))


def _new_item(found: MunicipalSession, section: str) -> SessionItem:
    return ITEM_SECTIONS[section].model(coalition_id=found.coalition_id, session=found)


def _form_values(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.fields}


@coalition_view(Can.MANAGE)
def item_create(request: CoalitionRequest, section: str) -> HttpResponse:
    found = _managed_session(request)
    contacts = contact_choices_for(request.membership)
    form = item_form(
        section,
        request.POST or None,
        instance=_new_item(found, section),
        contacts=contacts,
        prefix=f"new-{section}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_item(request.user, found, section, **_form_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, section, _("Added."))
    if request.htmx and request.method == "POST":
        # The add form sits at the foot of its section: show it again with the errors.
        response = _section(request, section, add_form=form)
        return reswap(retarget(response, f"#section-{section}"), "outerHTML")
    return render(
        request,
        "municipal/item_form.html",
        {"form": form, "section": ITEM_SECTIONS[section], "item": None},
    )


@coalition_view(Can.MANAGE)
def item_edit(request: CoalitionRequest, section: str, pk: int) -> HttpResponse:
    item = get_item_for(request.membership, section, pk)
    contacts = contact_choices_for(request.membership)
    form = item_form(
        section, request.POST or None, instance=item, contacts=contacts, prefix=f"{section}-{pk}"
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        item.refresh_from_db()  # the form copied its values onto it; the audit needs "before"
        try:
            actions.update_item(request.user, item, **changes)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _done(request, section, _("Changes saved."))
    context = {"form": form, "section": ITEM_SECTIONS[section], "item": item}
    template = "municipal/_item_form.html" if request.htmx else "municipal/item_form.html"
    return render(request, template, context)


@require_POST
@coalition_view(Can.MANAGE)
def item_toggle(request: CoalitionRequest, section: str, pk: int) -> HttpResponse:
    item = get_item_for(request.membership, section, pk)
    try:
        actions.toggle_item(request.user, item)
    except ValidationError as error:
        return _failed(request, section, error)
    return _done(request, section)


@require_POST
@coalition_view(Can.MANAGE)
def item_move(request: CoalitionRequest, section: str, pk: int) -> HttpResponse:
    item = get_item_for(request.membership, section, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        return _failed(request, section, ValidationError(_("Move an item up or down.")))
    actions.move_item(request.user, item, actions.sibling_index(item) + step)
    return _done(request, section)


@require_POST
@coalition_view(Can.MANAGE)
def item_delete(request: CoalitionRequest, section: str, pk: int) -> HttpResponse:
    item = get_item_for(request.membership, section, pk)
    actions.delete_item(request.user, item)
    return _done(request, section, _("Removed."))


def _checklist_or_redirect(request: CoalitionRequest) -> Checklist | None:
    found = session_for(request.membership)
    if found is None:
        messages.info(request, _("The checklist has not been started yet."))
        return None
    return load_checklist(found)


@coalition_view()
def export_docx(request: CoalitionRequest) -> HttpResponseBase:
    checklist = _checklist_or_redirect(request)
    if checklist is None:
        return redirect(_page_url(request))
    return docx_response(checklist)


@coalition_view()
def printable(request: CoalitionRequest) -> HttpResponse:
    checklist = _checklist_or_redirect(request)
    if checklist is None:
        return redirect(_page_url(request))
    return render(request, "municipal/print.html", _context(request, checklist))
