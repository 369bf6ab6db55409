"""The Jakarta demo's stakeholder map: 25 stakeholders across the pipeline, scored by two
members, with plans (some overdue) and an interaction log.

Written through the actions, in three waves so the diversity trend has a history; only the
dates of those earlier snapshots and of the stage moves are set back afterwards, as the
demo cannot wait two months.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition
from commonground.organisations.models import Contact, Organisation
from commonground.stakeholders import actions, criteria_actions, engagement_actions
from commonground.stakeholders.models import DiversitySnapshot, StageChange, Stakeholder

# acronym or name, stage, role, engagement model, lived experience, power, interest, brings, wants
OrgRow = tuple[str, str, str, str, bool, int | None, int | None, str, str]
ORGS: list[list[OrgRow]] = [
    [
        (
            "PMI DKI",
            "member",
            "lead",
            "partnership",
            False,
            4,
            5,
            "Volunteers in every kelurahan, first aid, the focal point",
            "A city that prepares before the floods",
        ),
        (
            "BPBD DKI",
            "member",
            "core_partner",
            "partnership",
            False,
            5,
            4,
            "Early warning, evacuation planning, the city's disaster budget",
            "Neighbourhood plans that match the city's",
        ),
        (
            "DSDA",
            "committed",
            "core_partner",
            "convening",
            False,
            5,
            3,
            "Pumps, drainage data",
            "Fewer complaints after each flood",
        ),
        (
            "Kampung Pulo Community Forum",
            "member",
            "core_partner",
            "convening",
            True,
            2,
            5,
            "Trust of riverside families; flood marks on every wall",
            "To be heard before relocation decisions",
        ),
        (
            "JRMK",
            "engaged",
            "member",
            "networks",
            True,
            2,
            5,
            "Organised urban poor networks across 20 kampungs",
            "Secure tenure for riverside residents",
        ),
        (
            "UI",
            "committed",
            "member",
            "partnership",
            False,
            3,
            4,
            "Flood modelling, students for surveys",
            "Field sites and data for research",
        ),
        (
            "Dinkes",
            "engaged",
            "member",
            "networks",
            False,
            4,
            3,
            "Clinics and health surveillance",
            "Early notice of outbreaks after floods",
        ),
        (
            "HOT ID",
            "member",
            "member",
            "networks",
            False,
            1,
            5,
            "Mapping volunteers, OpenStreetMap training",
            "Local mappers in every RW",
        ),
    ],
    [
        (
            "MDMC",
            "engaged",
            "ally",
            "networks",
            False,
            3,
            4,
            "Mosque networks, logistics",
            "A role in evacuation shelters",
        ),
        (
            "Masjid Istiqlal Disaster Response Team",
            "approached",
            "",
            "convening",
            False,
            3,
            2,
            "A large shelter and kitchen",
            "",
        ),
        (
            "JALA PRT",
            "approached",
            "",
            "networks",
            True,
            1,
            4,
            "Reaches domestic workers nobody else does",
            "Warnings in time for live-in workers",
        ),
        (
            "Kelurahan Kampung Melayu",
            "committed",
            "member",
            "convening",
            False,
            3,
            4,
            "The ward office and RT/RW heads",
            "Help with evacuation drills",
        ),
        (
            "KADIN DKI",
            "approached",
            "",
            "partnership",
            False,
            4,
            1,
            "Business continuity know-how, member companies",
            "Less disruption to trade",
        ),
        (
            "Telkom",
            "identified",
            "",
            "partnership",
            False,
            4,
            2,
            "Cell broadcast for warnings",
            "",
        ),
        (
            "Plan",
            "engaged",
            "ally",
            "partnership",
            False,
            2,
            4,
            "Child-centred preparedness in schools",
            "Schools in the flood zone on board",
        ),
    ],
    [
        (
            "SD Negeri Kampung Melayu 01",
            "identified",
            "",
            "",
            False,
            1,
            3,
            "A school building on higher ground",
            "",
        ),
        ("LPBI NU", "identified", "", "networks", False, 3, None, "Pesantren networks", ""),
        (
            "Gojek Foundation",
            "identified",
            "",
            "partnership",
            False,
            3,
            1,
            "Drivers and an app",
            "",
        ),
        ("BNPB", "approached", "observer", "networks", False, 5, 2, "National guidance", ""),
        ("Kompas", "identified", "", "", False, 3, 1, "Reach", ""),
        ("WALHI Jakarta", "declined", "", "convening", False, 2, 3, "Environmental advocacy", ""),
        ("Yayasan Rumah Zakat", "inactive", "", "", False, 2, 2, "Food parcels", ""),
    ],
]

# name, stage, role, lived experience, power, interest, contact name (one of the coalition's)
PEOPLE = [
    ("Ibu Siti", "committed", "member", True, 2, 5, "Ibu Siti"),
    ("Pak Rudi Hartono (RW 04 head, Bukit Duri)", "engaged", "ally", True, 2, 4, ""),
    ("Dr. Maya Sari, flood survivor and nurse", "approached", "", True, 1, 5, ""),
]

# The two scorers' scores, criteria in the default order:
# interest, contribution, complementarity, outreach, influence, legitimacy, urgency.
SCORES: dict[str, tuple[list[int], list[int]]] = {
    "PMI DKI": ([5, 5, 3, 4, 4, 5, 4], [5, 4, 3, 4, 4, 5, 5]),
    "BPBD DKI": ([4, 5, 3, 3, 5, 5, 4], [4, 5, 2, 3, 5, 4, 4]),
    "DSDA": ([3, 4, 4, 1, 5, 4, 3], [2, 4, 4, 1, 5, 3, 4]),
    "Kampung Pulo Community Forum": ([5, 3, 5, 5, 2, 5, 5], [5, 3, 4, 5, 1, 4, 5]),
    "JRMK": ([5, 3, 4, 5, 2, 4, 5], [4, 2, 4, 5, 3, 2, 5]),
    "UI": ([4, 4, 4, 2, 3, 4, 2], [3, 4, 3, 1, 3, 4, 1]),
    "Dinkes": ([3, 4, 3, 2, 4, 4, 3], [3, 5, 3, 2, 4, 5, 3]),
    "MDMC": ([4, 4, 4, 4, 3, 4, 3], [4, 3, 5, 4, 3, 4, 2]),
    "JALA PRT": ([4, 2, 5, 5, 1, 4, 4], [5, 2, 5, 4, 1, 3, 4]),
    "KADIN DKI": ([1, 4, 3, 1, 4, 3, 1], [2, 5, 3, 0, 4, 3, 1]),
    "Telkom": ([2, 5, 4, 2, 4, 3, 2], [1, 4, 5, 1, 4, 3, 1]),
    "Plan": ([4, 3, 3, 3, 2, 4, 3], [4, 3, 2, 3, 2, 4, 2]),
    "BNPB": ([2, 4, 2, 1, 5, 5, 2], [2, 3, 2, 1, 5, 5, 1]),
    "Gojek Foundation": ([1, 4, 4, 3, 3, 2, 1], [4, 4, 4, 3, 3, 2, 1]),
    "Ibu Siti": ([5, 2, 5, 5, 1, 5, 5], [5, 2, 4, 4, 1, 5, 4]),
}

# stakeholder, owner ("focal" or "member"), channels, frequency, next contact (days from today)
PLANS = [
    ("BPBD DKI", "focal", ["meeting", "email"], "monthly", -12),
    ("JRMK", "member", ["whatsapp", "meeting"], "fortnightly", -5),
    ("MDMC", "member", ["phone"], "monthly", -2),
    ("KADIN DKI", "focal", ["email"], "quarterly", 3),
    ("Kampung Pulo Community Forum", "member", ["whatsapp"], "weekly", 6),
    ("UI", "focal", ["email", "meeting"], "monthly", 20),
    ("Ibu Siti", "member", ["whatsapp"], "fortnightly", 9),
    ("Telkom", "focal", ["email"], "monthly", -20),
]

# stakeholder, days ago, channel, summary, outcome, next step
INTERACTIONS = [
    (
        "BPBD DKI",
        42,
        "meeting",
        "Steering group: evacuation routes for Kampung Melayu",
        "BPBD shares its route maps",
        "Walk the routes with the RW heads",
    ),
    (
        "JRMK",
        19,
        "meeting",
        "Listening session with 30 households in Kampung Pulo",
        "Relocation fears raised first",
        "Invite JRMK to the risk workshop",
    ),
    (
        "MDMC",
        32,
        "phone",
        "Call about shelter capacity in mosques",
        "Four mosques could host 600 people",
        "Site visits",
    ),
    (
        "Kampung Pulo Community Forum",
        1,
        "whatsapp",
        "Shared the river gauge alert levels",
        "Forum will relay to RT groups",
        "",
    ),
    (
        "KADIN DKI",
        88,
        "email",
        "Sent the coalition's concept note",
        "Polite interest, no commitment",
        "Follow up after Ramadan",
    ),
    (
        "Ibu Siti",
        5,
        "meeting",
        "Home visit with the focal point",
        "Agreed to speak at the launch",
        "",
    ),
]


def _org(key: str) -> Organisation:
    return Organisation.objects.filter(acronym=key).first() or Organisation.objects.get(name=key)


def _redate(coalition: Coalition, days_ago: int) -> None:
    """Move today's snapshot and today's stage moves back: the map as it was then."""
    today = timezone.localdate()
    then = today - datetime.timedelta(days=days_ago)
    DiversitySnapshot.objects.filter(coalition=coalition, date=today).update(date=then)
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    StageChange.objects.filter(stakeholder__coalition=coalition, changed_at__date=today).update(
        changed_at=moment
    )
    Stakeholder.objects.filter(coalition=coalition, stage_changed_at__date=today).update(
        stage_changed_at=moment
    )


def _add(actor: User, coalition: Coalition, row: OrgRow) -> Stakeholder:
    key, stage, role, model, lived, power, interest, brings, wants = row
    stakeholder = actions.create_stakeholder(
        actor,
        coalition,
        organisation=_org(key),
        role=role,
        engagement_model=model,
        lived_experience=lived,
        power=power,
        interest=interest,
        brings=brings,
        wants=wants,
    )
    # Walk the pipeline rather than jump, so each history reads like one.
    path = ["identified", "approached", "engaged", "committed", "member"]
    if stage in path:
        for step in path[1 : path.index(stage) + 1]:
            actions.move_stage(actor, stakeholder, step)
    else:
        actions.move_stage(actor, stakeholder, "approached")
        actions.move_stage(actor, stakeholder, stage, "No capacity this year")
    return stakeholder


@transaction.atomic
def load_jakarta_stakeholders() -> bool:
    """Jakarta's stakeholder map (once). False when there is no demo or it is already there."""
    coalition = Coalition.objects.filter(slug="jakarta").first()
    if coalition is None or coalition.stakeholders.exists():
        return False
    focal = User.objects.get(email="focal@demo.commonground.test")
    member = User.objects.get(email="member@demo.commonground.test")
    by_name: dict[str, Stakeholder] = {}
    for wave, days_ago in zip(ORGS, (60, 30, 0), strict=True):
        for row in wave:
            by_name[row[0]] = _add(focal, coalition, row)
        if wave is ORGS[0]:
            for name, stage, role, lived, power, interest, contact in PEOPLE:
                person = actions.create_stakeholder(
                    member,
                    coalition,
                    person_name=name,
                    contact=Contact.objects.filter(coalition=coalition, name=contact).first(),
                    role=role,
                    lived_experience=lived,
                    power=power,
                    interest=interest,
                )
                actions.move_stage(member, person, stage)
                by_name[name.split(" (")[0].split(",")[0]] = person
        if days_ago:
            _redate(coalition, days_ago)
    criteria = criteria_actions.ensure_default_criteria(focal, coalition)
    for name, (first, second) in SCORES.items():
        for scorer, values in ((focal, first), (member, second)):
            criteria_actions.set_scores(
                scorer, by_name[name], {c.pk: v for c, v in zip(criteria, values, strict=True)}
            )
    today = timezone.localdate()
    for name, days_ago, channel, summary, outcome, next_step in INTERACTIONS:
        engagement_actions.log_interaction(
            focal if name in {"BPBD DKI", "KADIN DKI", "Ibu Siti"} else member,
            by_name[name],
            date=today - datetime.timedelta(days=days_ago),
            channel=channel,
            summary=summary,
            outcome=outcome,
            next_step=next_step,
        )
    owners = {"focal": focal, "member": member}
    for name, owner, channels, frequency, due in PLANS:
        engagement_actions.save_plan(
            focal,
            by_name[name],
            owner=owners[owner],
            channels=channels,
            frequency=frequency,
            next_contact=today + datetime.timedelta(days=due),
        )
    return True
