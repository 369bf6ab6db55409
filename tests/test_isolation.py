"""Every coalition page, whatever its name, answers 404 to someone outside the coalition.

The list of pages comes from the URL configuration itself, so a page added later is
covered without anyone remembering to write its test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commonground.jobs.queue import enqueue
from commonground.organisations.tasks import import_organisations_file
from commonground.places.models import AnalysisRun, Layer, RiskProfile
from conftest import World


def coalition_routes() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(url name, its argument names) for every named page under /c/<slug>/."""

    def walk(
        patterns: list[URLPattern | URLResolver], namespace: str, prefix: str
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, space, route)
            elif (
                pattern.name
                and "<slug:slug>" in route
                and not route.startswith(("api/", "ogc/", "p/"))
            ):
                names = re.findall(r"<(?:\w+:)?(\w+)>", route)
                yield f"{namespace}{pattern.name}", tuple(names)

    yield from walk(get_resolver().url_patterns, "", "")


ROUTES = sorted(set(coalition_routes()))


def marketplace_pk(world: World, name: str) -> int:
    """A need, an offer, a match or an attachment of alpha's, as the route wants."""
    from commonground.marketplace.models import Attachment, Match, Need, Offer

    need = Need.objects.create(
        coalition=world.coalition, title="N", category="food", created_by=world.owner
    )
    offer = Offer.objects.create(
        coalition=world.coalition, title="O", category="food", created_by=world.owner
    )
    if name.startswith("marketplace:offer"):
        return offer.pk
    if name.startswith("marketplace:match"):
        return Match.objects.create(coalition=world.coalition, need=need, offer=offer).pk
    if name == "marketplace:attachment":
        found = Attachment.objects.create(
            need=need, filename="a.pdf", content_type="application/pdf", size=1
        )
        found.path.parent.mkdir(parents=True, exist_ok=True)
        found.path.write_bytes(b"%PDF")
        return found.pk
    return need.pk


def test_the_route_list_is_not_empty() -> None:
    assert len(ROUTES) >= 15


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[name for name, _p in ROUTES])
def test_outsiders_get_404_from_every_coalition_page(
    world: World, name: str, params: tuple[str, ...]
) -> None:
    queued = enqueue(
        import_organisations_file,
        coalition=world.coalition,
        coalition_id=1,
        actor_id=None,
        path="/nonexistent",
        filename="x.csv",
    )
    values = {"slug": "alpha", "pk": world.org.pk, "fmt": "csv"}
    if name == "organisations:contact_edit":
        values["pk"] = world.contact.pk
    if name.startswith("coalitions:member_"):
        values["pk"] = world.coalition.memberships.get(user=world.member).pk
    if name == "organisations:import_status":
        values["pk"] = queued.pk
    if name.startswith(("places:layer", "places:analysis")) and "pk" in params:
        layer = Layer.objects.create(
            coalition=world.coalition,
            name="Flood",
            kind="hazard",
            status="ready",
            class_field="FLOOD",
        )
        values["pk"] = layer.pk
        if name.startswith("places:analysis"):
            values["pk"] = AnalysisRun.objects.create(
                coalition=world.coalition,
                name="Run",
                hazard_layer=layer,
                area_level="subcity",
                status="done",
                result=[{"area": "A", "hazard_class": "yes", "count": 1}],
                shares=[{"rank": 1, "area": "A", "exposed": 1, "total": 1, "exposed_share": 1.0}],
            ).pk
    if name == "relationships:edit":
        from commonground.organisations.actions import create_organisation
        from commonground.relationships.actions import create_relationship

        partner = create_organisation(world.owner, world.coalition, name="Alpha Partner")
        values["pk"] = create_relationship(
            world.owner, world.coalition, world.org, partner, "partners_with"
        ).pk
    if name.startswith("stakeholders:") and "pk" in params:
        from commonground.stakeholders.actions import create_stakeholder
        from commonground.stakeholders.criteria_actions import ensure_default_criteria

        values["pk"] = create_stakeholder(world.owner, world.coalition, organisation=world.org).pk
        if name == "stakeholders:criterion_edit":
            values["pk"] = ensure_default_criteria(world.owner, world.coalition)[0].pk
    if name.startswith("municipal:"):
        from commonground.municipal.actions import start_session
        from commonground.municipal.models import Task

        session = start_session(world.owner, world.coalition)
        values["section"] = "tasks"
        values["pk"] = Task.objects.filter(session=session).values_list("pk", flat=True)[0]
    if name.startswith("places:risk") and "pk" in params:
        values["pk"] = RiskProfile.objects.create(
            coalition=world.coalition,
            name="Risk",
            status="done",
            rollup=[{"level": "community", "area": "A", "risk": 5.0, "rank": 1}],
        ).pk
    if name.startswith("marketplace:") and "pk" in params:
        values["pk"] = marketplace_pk(world, name)
    url = reverse(name, kwargs={p: values[p] for p in params})
    client = world.client(world.outsider)
    assert client.get(url).status_code in {404, 405}, url
    assert client.post(url, {"name": "x", "role": "observer", "delete": "1"}).status_code in {
        404,
        405,
    }, url
    # And the same page is there for a member of the coalition (so the 404 means something).
    assert world.client(world.owner).get(url).status_code in {200, 302, 405}, url
