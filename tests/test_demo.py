from __future__ import annotations

import io

from django.core.management import call_command

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition, Invitation, Membership
from commonground.coalitions.roles import Role
from commonground.demo import load_demo
from commonground.organisations.models import Organisation


def test_the_demo_has_a_realistic_jakarta_coalition_and_a_second_one(db: None) -> None:
    assert load_demo() is True
    jakarta = Coalition.objects.get(slug="jakarta")
    assert Coalition.objects.filter(slug="bogor").exists()
    assert set(jakarta.memberships.values_list("role", flat=True)) == set(Role.values)
    orgs = Organisation.objects.filter(participations__coalition=jakarta)
    assert 28 <= orgs.count() <= 40
    assert orgs.values("type").distinct().count() >= 9
    assert orgs.values("level").distinct().count() == 4
    assert [i.status for i in Invitation.objects.filter(coalition=jakarta)] == ["pending"]
    assert jakarta.lead_organisation is not None and jakarta.focal_point is not None


def test_loading_the_demo_twice_changes_nothing(db: None) -> None:
    load_demo()
    before = (Organisation.objects.count(), Membership.objects.count())
    assert load_demo() is False
    assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_the_demo_command_prints_the_logins(db: None) -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "focal@demo.commonground.test" in text and "resilience-demo" in text


def test_the_demo_gives_jakarta_its_sample_layers_and_areas(db: None, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from commonground.demo import load_jakarta_places
    from commonground.places.models import Area, Layer

    settings.DATA_DIR = tmp_path
    load_demo()
    assert load_jakarta_places() is True
    jakarta = Coalition.objects.get(slug="jakarta")
    layers = {layer.name: layer for layer in Layer.objects.filter(coalition=jakarta)}
    assert layers["Buildings"].feature_count == 181
    assert layers["Flood-prone neighbourhoods"].class_field == "FLOODPRONE"
    assert all(layer.data_path.exists() for layer in layers.values())
    assert Area.objects.filter(coalition=jakarta, level="community").count() == 31
    from commonground.jobs.queue import run_pending
    from commonground.places.models import AnalysisRun

    run_pending()
    run = AnalysisRun.objects.get(coalition=jakarta)
    assert run.status == "done" and run.shares[0]["rank"] == 1
    # And a risk profile of the neighbourhoods, ranked and rolled up to the city.
    from commonground.places.models import RiskProfile

    profile = RiskProfile.objects.get(coalition=jakarta)
    assert profile.status == "done" and not profile.score_error, profile.error
    assert profile.scores[0]["rank"] == 1
    assert {row["level"] for row in profile.rollup} == {"community", "subcity", "city"}
    assert load_jakarta_places() is False  # once only


def test_the_demo_imports_helsinki_from_openstreetmap(db: None, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from commonground.demo import load_helsinki_osm
    from commonground.places.models import Layer

    settings.DATA_DIR = tmp_path
    load_demo()
    assert load_helsinki_osm() is True
    kinds = set(Layer.objects.filter(coalition__slug="helsinki").values_list("kind", flat=True))
    assert kinds == {"buildings", "roads", "vulnerable", "resources"}
    focal = User.objects.get(email="focal@demo.commonground.test")
    assert focal.memberships.filter(coalition__slug="helsinki").exists()
    assert load_helsinki_osm() is False


def test_the_demo_gives_jakarta_a_marketplace(db: None, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from commonground.demo import load_jakarta_marketplace, load_jakarta_places
    from commonground.jobs.queue import run_pending
    from commonground.marketplace.models import Match, Need, Offer

    settings.DATA_DIR = tmp_path
    load_demo()
    load_jakarta_places()
    assert load_jakarta_marketplace() is True
    run_pending()
    jakarta = Coalition.objects.get(slug="jakarta")
    assert Need.objects.filter(coalition=jakarta).count() >= 7
    assert Offer.objects.filter(coalition=jakarta).count() >= 5
    assert Match.objects.filter(coalition=jakarta, status="confirmed").count() == 1
    # The worker matched the rest: the Spanish school's filters find the CSR filters.
    school = Need.objects.get(title__startswith="Filtros de agua")
    assert school.matches.filter(offer__title__startswith="Ceramic water filters").exists()
    assert load_jakarta_marketplace() is False
