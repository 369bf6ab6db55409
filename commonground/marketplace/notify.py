"""Emails to the other side of a match at each step and for each message.

Sent by the worker (the actions queue them in their transaction), in the recipient's
language, with a link to the match.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from commonground.accounts.models import User
from commonground.marketplace.models import Match, MatchStatus, Message

# Who hears of each step: the side that did not take it.
NEED_SIDE_STEPS = {MatchStatus.OFFERED, MatchStatus.IN_DELIVERY, MatchStatus.DELIVERED}


def _recipients(match: Match, actor_id: int | None) -> list[User]:
    people = [match.need.created_by, match.offer.created_by]
    return [u for u in dict.fromkeys(people) if u is not None and u.pk != actor_id and u.email]


def _send(user: User, template: str, context: dict[str, object]) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"marketplace/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"marketplace/email/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


def _url(match: Match) -> str:
    return settings.SITE_URL + reverse(
        "marketplace:match", args=[match.need.coalition.slug, match.pk]
    )


def send_step(match_id: int, actor_id: int | None, status: str) -> int:
    match = Match.objects.select_related(
        "need__coalition", "need__created_by", "offer__created_by", "offer__organisation"
    ).get(pk=match_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    recipients = _recipients(match, actor_id)
    for user in recipients:
        context = {
            "match": match,
            "status": MatchStatus(status),
            "actor": actor,
            "url": _url(match),
            "coalition": match.need.coalition,
        }
        _send(user, "step", context)
    return len(recipients)


def send_message(message_id: int) -> int:
    message = Message.objects.select_related(
        "match__need__coalition", "match__need__created_by", "match__offer__created_by", "author"
    ).get(pk=message_id)
    recipients = _recipients(message.match, message.author_id)
    for user in recipients:
        context = {"message": message, "match": message.match, "url": _url(message.match)}
        _send(user, "message", context)
    return len(recipients)
