"""The engagement and communication plan: a stakeholder's plan, the log, overdue contacts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions.access import CoalitionRequest, coalition_view
from commonground.coalitions.roles import Can
from commonground.lib.forms import add_action_errors
from commonground.stakeholders import engagement_actions
from commonground.stakeholders.access import (
    UPCOMING_DAYS,
    get_plan,
    get_stakeholder_for,
    overdue_plans,
    upcoming_plans,
)
from commonground.stakeholders.forms import InteractionForm, PlanForm

OVERDUE_ROWS = 200


@coalition_view(Can.EDIT_REGISTRY)
def plan_edit(request: CoalitionRequest, pk: int) -> HttpResponse:
    stakeholder = get_stakeholder_for(request.membership, pk)
    plan = get_plan(stakeholder)
    initial = (
        {
            "channels": plan.channels,
            "frequency": plan.frequency,
            "owner": plan.owner,
            "next_contact": plan.next_contact,
            "notes": plan.notes,
        }
        if plan
        else {"owner": request.user, "frequency": "monthly"}
    )
    form = PlanForm(request.POST or None, initial=initial, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            engagement_actions.save_plan(request.user, stakeholder, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Engagement plan saved."))
            return redirect("stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk)
    return render(
        request,
        "stakeholders/plan_form.html",
        {"form": form, "stakeholder": stakeholder, "plan": plan},
    )


@require_POST
@coalition_view(Can.EDIT_REGISTRY)
def interaction_create(request: CoalitionRequest, pk: int) -> HttpResponseBase:
    stakeholder = get_stakeholder_for(request.membership, pk)
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            engagement_actions.log_interaction(request.user, stakeholder, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            plan = get_plan(stakeholder)
            if plan and plan.next_contact:
                messages.success(
                    request,
                    _("Interaction logged. Next contact: %(date)s.")
                    % {"date": plan.next_contact.isoformat()},
                )
            else:
                messages.success(request, _("Interaction logged."))
            return redirect("stakeholders:detail", slug=request.coalition.slug, pk=stakeholder.pk)
    return render(
        request,
        "stakeholders/interaction_form.html",
        {"form": form, "stakeholder": stakeholder},
        status=400,
    )


@coalition_view()
def overdue(request: CoalitionRequest) -> HttpResponse:
    today = timezone.localdate()
    late = list(overdue_plans(request.membership, today)[: OVERDUE_ROWS + 1])
    soon = list(upcoming_plans(request.membership, today)[:OVERDUE_ROWS])
    for plan in late:
        plan.days_late = (today - plan.next_contact).days
    context = {
        "overdue": late[:OVERDUE_ROWS],
        "more_overdue": len(late) > OVERDUE_ROWS,
        "upcoming": soon,
        "today": today,
        "days": UPCOMING_DAYS,
    }
    return render(request, "stakeholders/overdue.html", context)
