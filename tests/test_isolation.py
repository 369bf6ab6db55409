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
            elif pattern.name and "<slug:slug>" in route and not route.startswith(("api/", "ogc/")):
                names = re.findall(r"<(?:\w+:)?(\w+)>", route)
                yield f"{namespace}{pattern.name}", tuple(names)

    yield from walk(get_resolver().url_patterns, "", "")


ROUTES = sorted(set(coalition_routes()))


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
    if name.startswith("places:risk") and "pk" in params:
        values["pk"] = RiskProfile.objects.create(
            coalition=world.coalition,
            name="Risk",
            status="done",
            rollup=[{"level": "community", "area": "A", "risk": 5.0, "rank": 1}],
        ).pk
    url = reverse(name, kwargs={p: values[p] for p in params})
    client = world.client(world.outsider)
    assert client.get(url).status_code in {404, 405}, url
    assert client.post(url, {"name": "x", "role": "observer", "delete": "1"}).status_code in {
        404,
        405,
    }, url
    # And the same page is there for a member of the coalition (so the 404 means something).
    assert world.client(world.owner).get(url).status_code in {200, 302, 405}, url
