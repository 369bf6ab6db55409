from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.coalitions import actions
from commonground.coalitions.access import (
    AuthedRequest,
    CoalitionRequest,
    coalition_view,
    get_invitation_in_coalition,
    get_membership_in_coalition,
    members_of,
    memberships_for,
    pending_invitations_for,
    require,
)
from commonground.coalitions.forms import (
    CoalitionCreateForm,
    CoalitionProfileForm,
    InviteForm,
    RoleForm,
)
from commonground.coalitions.models import AuditEntry
from commonground.coalitions.roles import Can, Role
from commonground.lib.forms import add_action_errors
from commonground.organisations.models import Organisation
from commonground.organisations.vocabularies import labels


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    memberships = list(memberships_for(request.user).order_by("coalition__name"))
    if not memberships:
        return render(request, "coalitions/no_coalition.html")
    remembered = request.session.get("coalition")
    slugs = [m.coalition.slug for m in memberships]
    # First visit: prefer a coalition where the user does more than observe.
    active = [m.coalition.slug for m in memberships if m.role != Role.OBSERVER]
    slug = remembered if remembered in slugs else (active or slugs)[0]
    return redirect("coalitions:dashboard", slug=slug)


@coalition_view()
def dashboard(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    role_labels = dict(Role.choices)
    members_by_role = [
        (role_labels[row["role"]], row["n"])
        for row in coalition.memberships.values("role").annotate(n=Count("id")).order_by("role")
    ]
    type_labels = labels("type")
    orgs_by_type = [
        (type_labels.get(row["type"], row["type"]), row["type"], row["n"])
        for row in Organisation.objects.filter(participations__coalition=coalition)
        .values("type")
        .annotate(n=Count("id"))
        .order_by("-n", "type")
    ]
    recent = (
        AuditEntry.objects.filter(coalition=coalition)
        .select_related("actor")
        .order_by("-created_at", "-id")[:10]
    )
    return render(
        request,
        "coalitions/dashboard.html",
        {
            "coalition": coalition,
            "lead": coalition.lead_organisation,
            "focal": coalition.focal_point,
            "members_by_role": members_by_role,
            "member_count": sum(n for _label, n in members_by_role),
            "orgs_by_type": orgs_by_type,
            "org_count": sum(n for _l, _t, n in orgs_by_type),
            "recent": recent,
        },
    )


@coalition_view(Can.MANAGE)
def profile_edit(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = CoalitionProfileForm(request.POST or None, instance=coalition)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        # ModelForm already copied values onto the instance; reload so the audit sees "before".
        coalition.refresh_from_db()
        try:
            actions.update_coalition_profile(request.user, coalition, **changes)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Coalition profile saved."))
            return redirect("coalitions:dashboard", slug=coalition.slug)
    return render(request, "coalitions/profile_form.html", {"form": form})


@coalition_view()
def members(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    membership = request.membership
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        require(membership, Can.MANAGE)
        if form.is_valid():
            try:
                actions.invite(
                    request.user,
                    coalition,
                    form.cleaned_data["email"],
                    form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("coalitions:members", slug=coalition.slug)
    member_rows = members_of(membership).order_by("role", "user__full_name", "user__email")
    invitations = pending_invitations_for(membership).order_by("-created_at")[:100]
    return render(
        request,
        "coalitions/members.html",
        {"members": member_rows, "invitations": invitations, "form": form, "roles": Role.choices},
    )


@require_POST
@coalition_view(Can.MANAGE)
def member_role(request: CoalitionRequest, pk: int) -> HttpResponse:
    target = get_membership_in_coalition(request.membership, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.change_role(request.user, target, form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("coalitions:members", slug=request.coalition.slug)


@require_POST
@coalition_view(Can.MANAGE)
def member_remove(request: CoalitionRequest, pk: int) -> HttpResponse:
    target = get_membership_in_coalition(request.membership, pk)
    try:
        actions.remove_member(request.user, target)
        messages.success(request, _("%(name)s was removed.") % {"name": target.user})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("coalitions:members", slug=request.coalition.slug)


@require_POST
@coalition_view(Can.MANAGE)
def invitation_revoke(request: CoalitionRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_in_coalition(request.membership, pk)
    try:
        actions.revoke_invitation(request.user, invitation)
        messages.success(request, _("Invitation revoked."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("coalitions:members", slug=request.coalition.slug)


@coalition_view(Can.MANAGE)
def audit_log(request: CoalitionRequest) -> HttpResponse:
    entries = (
        AuditEntry.objects.filter(coalition=request.coalition)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "coalitions/audit_log.html", {"page": page, "action": action})


@staff_member_required(login_url="accounts:login")
def coalition_create(request: AuthedRequest) -> HttpResponse:
    form = CoalitionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coalition, _invited = actions.create_coalition_with_focal_point(
                request.user,
                name=data["name"],
                city=data["city"],
                country=data["country"],
                focal_point_email=data["focal_point_email"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Coalition %(name)s created.") % {"name": coalition.name})
            return redirect("home")
    return render(request, "coalitions/coalition_create.html", {"form": form})
