from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import World


def test_people_sign_in_with_their_email_address(world: World) -> None:
    client = world.client(None)
    response = client.post(
        reverse("accounts:login"),
        {"username": "Member@A.test", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse(
        "coalitions:dashboard", args=["alpha"]
    )


def test_a_wrong_password_is_refused(world: World) -> None:
    response = world.client(None).post(
        reverse("accounts:login"), {"username": "member@a.test", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in world.client(None).session


def test_a_forgotten_password_is_reset_by_email(world: World) -> None:
    client = world.client(None)
    client.post(reverse("accounts:password_reset"), {"email": "member@a.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase-7", "new_password2": "a-new-long-passphrase-7"},
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.check_password("a-new-long-passphrase-7")


def test_unknown_addresses_get_the_same_answer_and_no_email(world: World) -> None:
    response = world.client(None).post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_user_creates_replaces_and_revokes_their_api_token(world: World) -> None:
    client = world.client(world.member)
    client.post(reverse("accounts:token"))
    first = Token.objects.get(user=world.member).key
    assert first in client.get(reverse("accounts:account")).content.decode()
    # Shown once only.
    assert first not in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:token"))
    assert Token.objects.get(user=world.member).key != first
    client.post(reverse("accounts:token"), {"revoke": "1"})
    assert not Token.objects.filter(user=world.member).exists()


def test_a_user_sets_their_language(world: World) -> None:
    client = world.client(world.member)
    response = client.post(reverse("accounts:account"), {"full_name": "Mia M", "language": "es"})
    assert response.cookies["django_language"].value == "es"
    world.member.refresh_from_db()
    assert world.member.language == "es"


def test_the_account_page_needs_a_sign_in(world: World) -> None:
    assert world.client(None).get(reverse("accounts:account")).status_code == 302
