"""The Jakarta demo's stakeholder map."""

from __future__ import annotations

from django.utils import timezone

from commonground.coalitions.models import Coalition
from commonground.demo import load_demo, load_jakarta_stakeholders
from commonground.stakeholders.access import open_plans
from commonground.stakeholders.analysis import diversity_of, shortlist
from commonground.stakeholders.models import (
    DiversitySnapshot,
    Interaction,
    Score,
    StageChange,
    Stakeholder,
)


def test_jakarta_gets_a_scored_map_with_overdue_contacts_once(db: None) -> None:
    load_demo()
    assert load_jakarta_stakeholders() is True
    jakarta = Coalition.objects.get(slug="jakarta")
    stakeholders = Stakeholder.objects.filter(coalition=jakarta)
    assert 20 <= stakeholders.count() <= 30
    assert set(stakeholders.values_list("stage", flat=True)) == {
        "identified",
        "approached",
        "engaged",
        "committed",
        "member",
        "declined",
        "inactive",
    }
    assert stakeholders.filter(organisation__isnull=True).count() == 3
    assert stakeholders.filter(lived_experience=True).count() >= 4
    assert (
        Score.objects.filter(stakeholder__coalition=jakarta).values("scorer").distinct().count()
        == 2
    )
    _table, rows = shortlist(jakarta.pk, 3.0)
    assert rows[0].ranked.rank == 1 and any(not r.ranked.shortlisted for r in rows)
    today = timezone.localdate()
    plans = open_plans(jakarta.pk)
    assert plans.filter(next_contact__lt=today).count() >= 3
    assert plans.filter(next_contact__gte=today).count() >= 3
    assert Interaction.objects.filter(stakeholder__coalition=jakarta).count() >= 5
    assert StageChange.objects.filter(stakeholder__coalition=jakarta).count() > 40
    assert DiversitySnapshot.objects.filter(coalition=jakarta).count() == 3
    assert diversity_of(jakarta.pk).gaps == []
    assert load_jakarta_stakeholders() is False


def test_every_stakeholder_page_renders_on_the_demo_map(db: None) -> None:
    from django.test import Client
    from django.urls import reverse

    from commonground.accounts.models import User

    load_demo()
    load_jakarta_stakeholders()
    client = Client()
    client.force_login(User.objects.get(email="focal@demo.commonground.test"))
    first = Stakeholder.objects.filter(coalition__slug="jakarta").order_by("id").first()
    assert first is not None
    for name in ("list", "board", "shortlist", "criteria", "grid", "salience", "diversity"):
        assert client.get(reverse(f"stakeholders:{name}", args=["jakarta"])).status_code == 200
    for name in ("overdue", "import"):
        assert client.get(reverse(f"stakeholders:{name}", args=["jakarta"])).status_code == 200
    for name in ("detail", "edit", "score", "plan"):
        url = reverse(f"stakeholders:{name}", args=["jakarta", first.pk])
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("coalitions:dashboard", args=["jakarta"])).content.decode()
    assert "Overdue contacts" in dashboard and "days late" in dashboard
