"""The stakeholder map: list, board, a stakeholder's page, adding, editing, moving stages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.stakeholders import actions
from commonground.stakeholders.access import (
    get_plan,
    get_stakeholder_for,
    interactions_for,
    listed,
    search_stakeholders,
    stage_history,
    suggest_organisations,
)
from commonground.stakeholders.analysis import score_table
from commonground.stakeholders.choices import Stage
from commonground.stakeholders.forms import (
    InteractionForm,
    StageForm,
    StakeholderForm,
)
from commonground.stakeholders.models import Stakeholder
from commonground.stakeholders.views.common import EXPORT_FORMATS, filter_params

PAGE_SIZE = 25
BOARD_CARDS = 40  # cards shown per column; the rest are a click away in the filtered list


@coalition_view()
def stakeholder_list(request: CoalitionRequest) -> HttpResponse:
    form, params, query = filter_params(request)
    qs = listed(search_stakeholders(request.membership, params))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "export_formats": EXPORT_FORMATS,
        "stages": Stage.choices,
    }
    template = (
        "stakeholders/_results.html"
        if request.htmx and request.htmx.target == "results"
        else "stakeholders/list.html"
    )
    return render(request, template, context)


def board_columns(qs: QuerySet[Stakeholder]) -> list[dict[str, Any]]:
    """Per stage, its first cards and its count: two queries whatever the map's size."""
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("id")))
    ranked = listed(qs).annotate(
        position=Window(
            RowNumber(), partition_by=[F("stage")], order_by=[F("sort_key").asc(), F("id").asc()]
        )
    )
    cards: dict[str, list[Stakeholder]] = {stage: [] for stage in Stage.values}
    for stakeholder in ranked.filter(position__lte=BOARD_CARDS):
        cards[stakeholder.stage].append(stakeholder)
    return [
        {
            "stage": stage,
            "label": label,
            "cards": cards[stage],
            "count": counts.get(stage, 0),
            "more": counts.get(stage, 0) - len(cards[stage]),
        }
        for stage, label in Stage.choices
    ]


@coalition_view()
def stakeholder_board(request: CoalitionRequest) -> HttpResponse:
    form, params, query = filter_params(request, without=("stage",))
    columns = board_columns(search_stakeholders(request.membership, params))
    context = {"form": form, "columns": columns, "query": query, "stages": Stage.choices}
    template = (
        "stakeholders/_board.html"
        if request.htmx and request.htmx.target == "board"
        else "stakeholders/board.html"
    )
    return render(request, template, context)


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def stakeholder_stage(request: CoalitionRequest, pk: int) -> HttpResponseBase:
    """Move to another stage: HTMX from the board (answers with the board), or a plain form."""
    stakeholder = get_stakeholder_for(request.membership, pk)
    form = StageForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.move_stage(
                request.user, stakeholder, form.cleaned_data["stage"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose one of the stages.")
    if request.htmx:
        _form, params, query = filter_params(request, without=("stage",))
        columns = board_columns(search_stakeholders(request.membership, params))
        response = render(
            request,
            "stakeholders/_board.html",
            {"columns": columns, "query": query, "stages": Stage.choices, "error": error},
        )
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is now at the stage: %(stage)s.")
            % {"name": stakeholder.name, "stage": stakeholder.get_stage_display()},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk)


@coalition_view()
def stakeholder_detail(request: CoalitionRequest, pk: int) -> HttpResponse:
    membership = request.membership
    stakeholder = get_stakeholder_for(membership, pk)
    table = score_table(membership.coalition_id, [stakeholder.pk])
    found = table.aggregates.get(stakeholder.pk)
    score_rows = [
        {"criterion": c, "spread": found.by_criterion.get(c.pk) if found else None}
        for c in table.criteria
    ]
    context = {
        "stakeholder": stakeholder,
        "history": stage_history(stakeholder),
        "stage_form": StageForm(initial={"stage": stakeholder.stage}),
        "aggregate": found,
        "score_rows": score_rows,
        "plan": get_plan(stakeholder),
        "interactions": interactions_for(membership)
        .filter(stakeholder=stakeholder)
        .select_related("logged_by")[:50],
        "interaction_form": InteractionForm(
            initial={"channel": "meeting", "date": timezone.localdate()}
        ),
        "stages": Stage.choices,
    }
    return render(request, "stakeholders/detail.html", context)


@coalition_view(Can.EDIT_REGISTRY)
def stakeholder_create(request: CoalitionRequest) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisation", "")}
    form = StakeholderForm(request.POST or None, membership=request.membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = actions.create_stakeholder(
                request.user, request.coalition, stage=form.cleaned_data["stage"], **form.values()
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is on the stakeholder map.") % {"name": stakeholder.name}
            )
            return redirect("stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk)
    return render(request, "stakeholders/form.html", {"form": form})


@coalition_view(Can.EDIT_REGISTRY)
def stakeholder_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    stakeholder = get_stakeholder_for(request.membership, pk)
    form = StakeholderForm(
        request.POST or None, instance=stakeholder, membership=request.membership
    )
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            actions.delete_stakeholder(request.user, stakeholder)
            messages.success(request, _("Taken off the stakeholder map."))
            return redirect("stakeholders:list", slug=request.coalition.slug)
        if form.is_valid():
            values = form.values()
            changes = {f: values[f] for f in form.changed_data if f in values}
            # The ModelForm already copied values onto the instance; reload for the audit.
            stakeholder.refresh_from_db()
            try:
                actions.update_stakeholder(request.user, stakeholder, **changes)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(
                    "stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk
                )
    return render(request, "stakeholders/form.html", {"form": form, "stakeholder": stakeholder})


@coalition_view(Can.EDIT_REGISTRY)
def organisation_suggestions(request: CoalitionRequest) -> HttpResponse:
    """HTMX: registry organisations matching what is typed, as <option>s for a datalist."""
    found = suggest_organisations(request.membership, request.GET.get("organisation", ""))
    return render(request, "stakeholders/_suggestions.html", {"organisations": found})
