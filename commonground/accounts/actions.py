from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from commonground.accounts.models import User
from commonground.coalitions.audit import record


@transaction.atomic
def sign_up(email: str, full_name: str, password: str, language: str = "en") -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )
    record(user, None, "user.sign_up", user, after={"email": user.email})
    return user


@transaction.atomic
def update_account(user: User, *, full_name: str, language: str) -> User:
    before = {"full_name": user.full_name, "language": user.language}
    user.full_name, user.language = full_name, language
    user.save(update_fields=["full_name", "language"])
    record(user, None, "user.update", user, before, {"full_name": full_name, "language": language})
    return user


@transaction.atomic
def regenerate_token(user: User) -> Token:
    """A fresh API token; any previous one stops working at once."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record(user, None, "token.create", user)
    return token


@transaction.atomic
def revoke_token(user: User) -> None:
    if Token.objects.filter(user=user).delete()[0]:
        record(user, None, "token.revoke", user)
