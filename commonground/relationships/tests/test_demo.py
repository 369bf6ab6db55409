"""The demo's Jakarta network: one bridge, one isolated organisation, about forty relationships."""

from __future__ import annotations

from commonground.coalitions.models import Coalition
from commonground.demo import load_demo, load_jakarta_relationships
from commonground.organisations.models import Organisation
from commonground.relationships.demo import BPBD, BRIDGE, ISOLATED
from commonground.relationships.models import Relationship
from commonground.relationships.network import network_for


def test_the_jakarta_network_has_one_bridge_and_one_isolated_organisation(db: None) -> None:
    load_demo()
    assert load_jakarta_relationships() is True
    jakarta = Coalition.objects.get(slug="jakarta")
    assert 40 <= Relationship.objects.filter(coalition=jakarta).count() <= 50
    metrics = network_for(jakarta).metrics
    ids = dict(Organisation.objects.values_list("name", "id"))
    assert metrics.bridges == [tuple(sorted(ids[name] for name in BRIDGE))]
    # The bridge's ends split the network; so does BPBD, the universities' only door in.
    cut = {ids[name] for name in (*BRIDGE, BPBD)}
    assert set(metrics.articulation_points) == cut
    assert ids[ISOLATED] in metrics.isolated
    assert load_jakarta_relationships() is False  # once only
