"""Criteria, members' score sets, the aggregate, the disagreement and the shortlist."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.accounts.models import User
from commonground.coalitions.models import AuditEntry
from commonground.stakeholders import criteria_actions
from commonground.stakeholders.analysis import score_table, shortlist
from commonground.stakeholders.models import Criterion, Score, Stakeholder, StakeholderSettings
from conftest import World

from .conftest import Map

CRITERIA = reverse("stakeholders:criteria", args=["alpha"])
SHORTLIST = reverse("stakeholders:shortlist", args=["alpha"])
CUTOFF = reverse("stakeholders:cutoff", args=["alpha"])


def by_key(world: World) -> dict[str, Criterion]:
    found = criteria_actions.ensure_default_criteria(world.owner, world.coalition)
    return {c.key: c for c in found}


def score(world: World, user: User, stakeholder: Stakeholder, **values: int) -> None:
    criteria = by_key(world)
    criteria_actions.set_scores(
        user, stakeholder, {criteria[key].pk: value for key, value in values.items()}
    )


def test_the_seven_default_criteria_are_created_once_on_first_use(world: World) -> None:
    body = world.client(world.observer).get(CRITERIA).content.decode()
    keys = list(Criterion.objects.filter(coalition=world.coalition).values_list("key", flat=True))
    assert keys == [
        "interest",
        "contribution",
        "complementarity",
        "outreach",
        "influence",
        "legitimacy",
        "urgency",
    ]
    assert "Potential contribution" in body and "Active outreach" in body
    world.client(world.member).get(CRITERIA)
    assert Criterion.objects.filter(coalition=world.coalition).count() == 7
    assert AuditEntry.objects.filter(action="criteria.defaults").count() == 1
    assert not Criterion.objects.filter(coalition=world.other).exists()


def test_a_default_criterion_can_be_renamed_and_given_its_translated_name_back(
    world: World,
) -> None:
    interest = by_key(world)["interest"]
    assert interest.label == "Interest" and interest.name == ""
    criteria_actions.update_criterion(world.owner, interest, name="Commitment")
    assert "Commitment" in world.client(world.observer).get(CRITERIA).content.decode()
    criteria_actions.update_criterion(world.owner, interest, name="")
    interest.refresh_from_db()
    assert interest.label == "Interest" and interest.key == "interest"


def test_each_member_has_one_score_set_and_can_change_it(world: World, stakes: Map) -> None:
    score(world, world.member, stakes.red_cross, interest=4, influence=2)
    score(world, world.member, stakes.red_cross, interest=5)
    score(world, world.owner, stakes.red_cross, interest=1)
    mine = Score.objects.filter(scorer=world.member, stakeholder=stakes.red_cross)
    assert {s.criterion.key: s.value for s in mine} == {"interest": 5, "influence": 2}
    assert Score.objects.filter(stakeholder=stakes.red_cross).count() == 3


def test_a_null_clears_a_score_and_bad_values_are_refused(world: World, stakes: Map) -> None:
    criteria = by_key(world)
    score(world, world.member, stakes.red_cross, interest=4)
    criteria_actions.set_scores(world.member, stakes.red_cross, {criteria["interest"].pk: None})
    assert not Score.objects.filter(scorer=world.member).exists()
    with pytest.raises(ValidationError):
        criteria_actions.set_scores(world.member, stakes.red_cross, {criteria["interest"].pk: 6})
    other = Criterion.objects.create(coalition=world.other, name="Beta only")
    with pytest.raises(ValidationError):
        criteria_actions.set_scores(world.member, stakes.red_cross, {other.pk: 3})


def test_the_aggregate_is_weighted_and_disagreement_is_flagged(world: World, stakes: Map) -> None:
    criteria = by_key(world)
    criteria_actions.update_criterion(world.owner, criteria["interest"], weight=Decimal("3"))
    score(world, world.member, stakes.red_cross, interest=5, influence=0)
    score(world, world.owner, stakes.red_cross, interest=3, influence=4)
    table = score_table(world.coalition.pk)
    found = table.aggregates[stakes.red_cross.pk]
    # interest mean 4 (weight 3), influence mean 2 (weight 1): (12 + 2) / 4 = 3.5
    assert found.weighted == 3.5 and found.scorers == 2
    assert found.disputed == [criteria["influence"].pk]  # 0 and 4 are four points apart


def test_the_scoring_page_saves_my_set_and_shows_everyones(world: World, stakes: Map) -> None:
    criteria = by_key(world)
    score(world, world.owner, stakes.university, interest=2)
    client = world.client(world.member)
    page = reverse("stakeholders:score", args=["alpha", stakes.university.pk])
    assert "Olga Owner" in client.get(page).content.decode()
    response = client.post(
        page, {f"c{criteria['interest'].pk}": "4", f"c{criteria['urgency'].pk}": ""}
    )
    assert response.status_code == 302
    assert Score.objects.get(scorer=world.member).value == 4
    detail = client.get(reverse("stakeholders:detail", args=["alpha", stakes.university.pk]))
    assert "Weighted score 3.00 from 2 scorers." in detail.content.decode()


def test_readers_cannot_score(world: World, stakes: Map) -> None:
    page = reverse("stakeholders:score", args=["alpha", stakes.university.pk])
    for user in (world.community, world.observer):
        assert world.client(user).get(page).status_code == 403


def test_the_shortlist_ranks_and_cuts_off_where_the_coalition_says(
    world: World, stakes: Map, django_assert_max_num_queries
) -> None:
    score(world, world.member, stakes.red_cross, interest=5, contribution=5)
    score(world, world.member, stakes.university, interest=3, contribution=2)
    score(world, world.member, stakes.person, interest=4, contribution=4)
    _table, rows = shortlist(world.coalition.pk, 3.0)
    assert [(r.stakeholder.pk, r.ranked.rank, r.ranked.shortlisted) for r in rows] == [
        (stakes.red_cross.pk, 1, True),
        (stakes.person.pk, 2, True),
        (stakes.university.pk, 3, False),
    ]
    client = world.client(world.observer)
    with django_assert_max_num_queries(13):
        body = client.get(SHORTLIST).content.decode()
    assert "2 stakeholders reach the cut-off of 3.0" in body
    assert body.index("Alpha Red Cross") < body.index("Ibu Siti") < body.index("Universitas")


def test_declined_stakeholders_leave_the_shortlist(world: World, stakes: Map) -> None:
    from commonground.stakeholders import actions

    score(world, world.member, stakes.red_cross, interest=5)
    actions.move_stage(world.owner, stakes.red_cross, "declined")
    assert shortlist(world.coalition.pk, 0)[1] == []


def test_only_focal_points_and_lead_admins_set_the_cutoff(world: World) -> None:
    for user in (world.member, world.community, world.observer):
        assert world.client(user).post(CUTOFF, {"shortlist_cutoff": "1.5"}).status_code == 403
    assert not StakeholderSettings.objects.exists()
    response = world.client(world.lead).post(CUTOFF, {"shortlist_cutoff": "3.5"})
    assert response.status_code == 302
    assert StakeholderSettings.objects.get(coalition=world.coalition).shortlist_cutoff == Decimal(
        "3.5"
    )
    world.client(world.owner).post(CUTOFF, {"shortlist_cutoff": "7"})
    assert StakeholderSettings.objects.get().shortlist_cutoff == Decimal("3.5")


def test_only_managers_add_edit_and_remove_criteria(world: World) -> None:
    criteria = by_key(world)
    edit = reverse("stakeholders:criterion_edit", args=["alpha", criteria["urgency"].pk])
    for user in (world.member, world.community, world.observer):
        client = world.client(user)
        assert (
            client.post(CRITERIA, {"name": "Reach", "weight": "1", "position": "9"}).status_code
            == 403
        )
        assert client.get(edit).status_code == 403
        assert "Add a criterion" not in client.get(CRITERIA).content.decode()
    client = world.client(world.owner)
    assert (
        client.post(CRITERIA, {"name": "Reach", "weight": "2", "position": "9"}).status_code == 302
    )
    reach = Criterion.objects.get(name="Reach")
    assert reach.weight == Decimal("2.0") and reach.coalition == world.coalition
    client.post(edit, {"name": "", "description": "", "weight": "0.5", "position": "6"})
    assert Criterion.objects.get(pk=criteria["urgency"].pk).weight == Decimal("0.5")
    client.post(edit, {"delete": "1"})
    assert not Criterion.objects.filter(pk=criteria["urgency"].pk).exists()


def test_an_outsider_sees_no_criteria_or_shortlist(world: World) -> None:
    for page in (CRITERIA, SHORTLIST):
        assert world.client(world.outsider).get(page).status_code == 404
