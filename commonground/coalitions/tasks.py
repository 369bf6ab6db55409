from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from commonground.coalitions.models import Invitation
from commonground.jobs.queue import job


@job
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("coalition", "invited_by").get(pk=invitation_id)
    language = getattr(invitation.invited_by, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL + reverse("accounts:accept", args=[invitation.token]),
        }
        subject = render_to_string("coalitions/email/invitation_subject.txt", context).strip()
        body = render_to_string("coalitions/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
