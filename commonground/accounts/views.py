from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from commonground.accounts import actions
from commonground.accounts.forms import AccountForm, SignUpForm
from commonground.accounts.models import User
from commonground.coalitions.access import AuthedRequest
from commonground.coalitions.actions import accept_invitation
from commonground.coalitions.models import Invitation, InvitationStatus


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: sign up, sign in, or join straight away."""
    invitation = get_object_or_404(Invitation.objects.select_related("coalition"), token=token)
    if invitation.status != InvitationStatus.PENDING:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = None
    if user is None and existing is None:
        form = SignUpForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            user = actions.sign_up(
                invitation.email,
                form.cleaned_data["full_name"],
                form.cleaned_data["password"],
                translation.get_language() or "en",
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        else:
            return render(request, "accounts/accept.html", {"invitation": invitation, "form": form})
    if user is None:
        messages.info(
            request,
            _("Sign in as %(email)s to accept the invitation.") % {"email": invitation.email},
        )
        return redirect(f"{request.build_absolute_uri('/accounts/login/')}?next={request.path}")
    if request.method == "POST" or form is not None:
        try:
            accept_invitation(user, invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        request.session["coalition"] = invitation.coalition.slug
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.coalition.name})
        return redirect("coalitions:dashboard", slug=invitation.coalition.slug)
    return render(request, "accounts/accept.html", {"invitation": invitation, "form": None})


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_account(
            user, full_name=form.cleaned_data["full_name"], language=form.cleaned_data["language"]
        )
        response = redirect("accounts:account")
        response.set_cookie("django_language", user.language, samesite="Lax")
        messages.success(request, _("Account saved."))
        return response
    token = Token.objects.filter(user=user).first()
    new_key = request.session.pop("new_token", None)
    return render(
        request, "accounts/account.html", {"form": form, "token": token, "new_key": new_key}
    )


@require_POST
@login_required
def token(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.POST.get("revoke") == "1":
        actions.revoke_token(user)
        messages.success(request, _("Your API token was revoked."))
    else:
        key = actions.regenerate_token(user).key
        # Shown once, on the next page, then only its first characters.
        request.session["new_token"] = key
        messages.success(request, _("A new API token was created. Copy it now."))
    return redirect("accounts:account")
