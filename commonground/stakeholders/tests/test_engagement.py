"""The engagement plan: plans, the interaction log, contacts due, the dashboard, the digest."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commonground.jobs.models import Job
from commonground.jobs.queue import run_pending
from commonground.stakeholders import actions, engagement_actions
from commonground.stakeholders.digest import digest_for, owners_due
from commonground.stakeholders.models import EngagementPlan, Interaction
from conftest import World

from .conftest import Map

TODAY = timezone.localdate()
OVERDUE = reverse("stakeholders:overdue", args=["alpha"])


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def plans(world: World, stakes: Map) -> dict[str, EngagementPlan]:
    """The Red Cross 10 days late (member), the university in 3 days (member), Siti in 30."""
    return {
        "late": engagement_actions.save_plan(
            world.owner,
            stakes.red_cross,
            channels=["meeting", "whatsapp"],
            frequency="monthly",
            owner=world.member,
            next_contact=days(-10),
        ),
        "soon": engagement_actions.save_plan(
            world.owner, stakes.university, owner=world.member, next_contact=days(3)
        ),
        "later": engagement_actions.save_plan(
            world.owner, stakes.person, owner=world.owner, next_contact=days(30)
        ),
    }


def test_a_plan_owner_must_be_a_member_and_channels_known(world: World, stakes: Map) -> None:
    with pytest.raises(ValidationError) as error:
        engagement_actions.save_plan(world.member, stakes.person, owner=world.outsider)
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        engagement_actions.save_plan(world.member, stakes.person, channels=["pigeon"])
    assert "channels" in error.value.message_dict


def test_logging_an_interaction_moves_the_next_contact_by_the_frequency(
    world: World, stakes: Map, plans: dict[str, EngagementPlan]
) -> None:
    engagement_actions.log_interaction(
        world.member,
        stakes.red_cross,
        date=days(-2),
        channel="meeting",
        summary="Agreed to co-host the workshop",
        outcome="Yes, with a venue",
        next_step="Send the agenda",
    )
    plans["late"].refresh_from_db()
    assert plans["late"].next_contact == days(-2 + 30)  # monthly
    # Logging an older contact afterwards keeps the date from the latest one.
    engagement_actions.log_interaction(
        world.member, stakes.red_cross, date=days(-20), channel="phone", summary="Earlier call"
    )
    plans["late"].refresh_from_db()
    assert plans["late"].next_contact == days(28)


def test_an_interaction_cannot_be_in_the_future(world: World, stakes: Map) -> None:
    with pytest.raises(ValidationError):
        engagement_actions.log_interaction(
            world.member, stakes.person, date=days(1), channel="phone", summary="Tomorrow"
        )


def test_the_plan_page_saves_a_plan(world: World, stakes: Map) -> None:
    page = reverse("stakeholders:plan", args=["alpha", stakes.person.pk])
    response = world.client(world.member).post(
        page,
        {
            "channels": ["whatsapp", "meeting"],
            "frequency": "fortnightly",
            "owner": world.member.pk,
            "next_contact": days(5).isoformat(),
        },
    )
    assert response.status_code == 302
    plan = EngagementPlan.objects.get(stakeholder=stakes.person)
    assert plan.channels == ["whatsapp", "meeting"] and plan.owner == world.member
    for user in (world.community, world.observer):
        assert world.client(user).get(page).status_code == 403


def test_the_detail_page_logs_an_interaction(
    world: World, stakes: Map, plans: dict[str, EngagementPlan]
) -> None:
    page = reverse("stakeholders:interaction_create", args=["alpha", stakes.university.pk])
    response = world.client(world.member).post(
        page, {"date": TODAY.isoformat(), "channel": "email", "summary": "Sent the concept note"}
    )
    assert response.status_code == 302
    assert Interaction.objects.get().logged_by == world.member
    plans["soon"].refresh_from_db()
    assert plans["soon"].next_contact == days(30)
    detail = world.client(world.observer).get(response["Location"]).content.decode()
    assert "Sent the concept note" in detail
    bad = world.client(world.member).post(page, {"channel": "email", "summary": ""})
    assert bad.status_code == 400 and Interaction.objects.count() == 1
    assert world.client(world.observer).post(page, {"summary": "x"}).status_code == 403


def test_the_overdue_page_lists_late_and_coming_contacts(
    world: World, plans: dict[str, EngagementPlan], django_assert_max_num_queries
) -> None:
    client = world.client(world.community)
    with django_assert_max_num_queries(9):
        body = client.get(OVERDUE).content.decode()
    late, coming = body.split("Coming up")
    assert "Alpha Red Cross" in late and "10 days late" in late
    assert "Universitas Alpha" in coming and "Ibu Siti" not in body  # 30 days away


def test_declined_stakeholders_are_never_overdue(
    world: World, stakes: Map, plans: dict[str, EngagementPlan]
) -> None:
    actions.move_stage(world.owner, stakes.red_cross, "declined")
    assert "Alpha Red Cross" not in world.client(world.member).get(OVERDUE).content.decode()


def test_the_dashboard_shows_overdue_contacts(
    world: World, plans: dict[str, EngagementPlan], django_assert_max_num_queries
) -> None:
    client = world.client(world.observer)
    with django_assert_max_num_queries(13):
        body = client.get(reverse("coalitions:dashboard", args=["alpha"])).content.decode()
    assert "Overdue contacts" in body and "Alpha Red Cross" in body and "10 days late" in body
    # Beta's dashboard shows none of Alpha's.
    beta = world.client(world.outsider).get(reverse("coalitions:dashboard", args=["beta"]))
    assert "Alpha Red Cross" not in beta.content.decode()


def test_the_digest_holds_each_owners_overdue_and_coming_contacts(
    world: World, plans: dict[str, EngagementPlan]
) -> None:
    assert owners_due(TODAY) == [world.member.pk]  # the owner's plan is 30 days away
    [section] = digest_for(world.member, TODAY)
    assert [p.stakeholder.name for p in section.overdue] == ["Alpha Red Cross (ARC)"]
    assert [p.stakeholder.name for p in section.upcoming] == ["Universitas Alpha (UA)"]


def test_send_digests_queues_a_job_per_owner_and_the_worker_sends_the_email(
    world: World, plans: dict[str, EngagementPlan]
) -> None:
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert "Queued 1 digest(s)" in out.getvalue()
    assert Job.objects.filter(name__endswith="send_owner_digest").count() == 1
    assert mail.outbox == []
    run_pending()
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["member@a.test"]
    assert "1 overdue" in message.subject and "1 coming up" in message.subject
    assert "Alpha City Coalition" in message.body
    assert "Alpha Red Cross (ARC): " + days(-10).isoformat() in message.body
    assert "10 days late" in message.body and "Meeting, WhatsApp" in message.body
    assert f"/c/alpha/stakeholders/{plans['late'].stakeholder_id}/" in message.body
    [(html, kind)] = message.alternatives
    assert isinstance(html, str) and kind == "text/html"
    assert "<a href=" in html and "Universitas Alpha" in html


def test_the_digest_speaks_the_owners_language_and_skips_former_members(
    world: World, plans: dict[str, EngagementPlan]
) -> None:
    from commonground.coalitions.models import Membership

    world.member.language = "es"
    world.member.save(update_fields=["language"])
    call_command("send_digests", now=True, stdout=io.StringIO())
    assert len(mail.outbox) == 1
    Membership.objects.filter(user=world.member).delete()
    assert owners_due(TODAY) == []


def test_send_digests_for_one_coalition_and_a_given_day(
    world: World, plans: dict[str, EngagementPlan]
) -> None:
    out = io.StringIO()
    call_command("send_digests", coalition="beta", now=True, stdout=out)
    assert "Sent 0 digest(s)" in out.getvalue() and mail.outbox == []
    # Four weeks on, the owner's own plan is due too.
    call_command("send_digests", date=days(28).isoformat(), now=True, stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["member@a.test", "owner@a.test"]
