"""Criteria, members' scores and the ranked shortlist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.stakeholders import criteria_actions
from commonground.stakeholders.access import (
    get_criterion_for,
    get_stakeholder_for,
    scores_for,
    settings_for,
)
from commonground.stakeholders.analysis import score_table, shortlist
from commonground.stakeholders.forms import CriterionForm, CutoffForm, ScoreForm

SHORTLIST_ROWS = 200


@coalition_view()
def criteria(request: CoalitionRequest) -> HttpResponse:
    """The weighted criteria; focal points change them here, and the shortlist cut-off."""
    found = criteria_actions.ensure_default_criteria(request.user, request.coalition)
    can_manage = request.membership.can(Can.MANAGE)
    form = CriterionForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                criteria_actions.create_criterion(
                    request.user, request.coalition, **form.cleaned_data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Criterion added."))
                return redirect("stakeholders:criteria", slug=request.coalition.slug)
    current = settings_for(request.membership)
    cutoff_form = CutoffForm(initial={"shortlist_cutoff": current.shortlist_cutoff})
    context = {"criteria": found, "form": form, "cutoff_form": cutoff_form}
    return render(request, "stakeholders/criteria.html", context)


@coalition_view(Can.MANAGE)
def criterion_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for(request.membership, pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            criteria_actions.delete_criterion(request.user, criterion)
            messages.success(request, _("Criterion removed, with its scores."))
            return redirect("stakeholders:criteria", slug=request.coalition.slug)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            criterion.refresh_from_db()
            try:
                criteria_actions.update_criterion(request.user, criterion, **changes)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("stakeholders:criteria", slug=request.coalition.slug)
    return render(
        request, "stakeholders/criterion_form.html", {"form": form, "criterion": criterion}
    )


@require_POST
@coalition_view(Can.MANAGE)
def shortlist_cutoff(request: CoalitionRequest) -> HttpResponseBase:
    form = CutoffForm(request.POST)
    if form.is_valid():
        criteria_actions.set_shortlist_cutoff(
            request.user, request.coalition, form.cleaned_data["shortlist_cutoff"]
        )
        messages.success(request, _("Shortlist cut-off saved."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("shortlist_cutoff", [])))
    return redirect("stakeholders:shortlist", slug=request.coalition.slug)


@coalition_view(Can.EDIT_REGISTRY)
def stakeholder_score(request: CoalitionRequest, pk: int) -> HttpResponse:
    """My score set for one stakeholder, next to everyone's."""
    stakeholder = get_stakeholder_for(request.membership, pk)
    found = criteria_actions.ensure_default_criteria(request.user, request.coalition)
    all_scores = list(
        scores_for(request.membership)
        .filter(stakeholder=stakeholder)
        .select_related("scorer")
        .order_by("scorer__full_name", "scorer_id")
    )
    mine = {s.criterion_id: s.value for s in all_scores if s.scorer_id == request.user.pk}
    form = ScoreForm(request.POST or None, criteria=found, mine=mine)
    if request.method == "POST" and form.is_valid():
        try:
            criteria_actions.set_scores(request.user, stakeholder, form.scores())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk)
    users = {score.scorer_id: score.scorer for score in all_scores}
    by_scorer: dict[int, dict[int, int]] = {}
    for score in all_scores:
        by_scorer.setdefault(score.scorer_id, {})[score.criterion_id] = score.value
    table = score_table(request.coalition.pk, [stakeholder.pk])
    context = {
        "stakeholder": stakeholder,
        "form": form,
        "criteria": found,
        "scorers": [
            {"user": users[pk], "values": [values.get(c.pk) for c in found]}
            for pk, values in by_scorer.items()
        ],
        "aggregate": table.aggregates.get(stakeholder.pk),
    }
    return render(request, "stakeholders/score.html", context)


@coalition_view()
def shortlist_view(request: CoalitionRequest) -> HttpResponse:
    criteria_actions.ensure_default_criteria(request.user, request.coalition)
    current = settings_for(request.membership)
    cutoff = float(current.shortlist_cutoff)
    table, rows = shortlist(request.coalition.pk, cutoff)
    shown = rows[:SHORTLIST_ROWS]
    context = {
        "criteria": table.criteria,
        "rows": [
            {
                "row": row,
                "cells": [row.aggregate.by_criterion.get(c.pk) for c in table.criteria],
                # The cut-off line is drawn above the first row that misses it.
                "first_below": not row.ranked.shortlisted
                and index > 0
                and shown[index - 1].ranked.shortlisted,
            }
            for index, row in enumerate(shown)
        ],
        "hidden": len(rows) - len(shown),
        "shortlisted": sum(1 for row in rows if row.ranked.shortlisted),
        "scored": len(rows),
        "cutoff": current.shortlist_cutoff,
        "cutoff_form": CutoffForm(initial={"shortlist_cutoff": current.shortlist_cutoff}),
    }
    return render(request, "stakeholders/shortlist.html", context)
