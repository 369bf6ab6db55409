"""Jakarta's marketplace for the demo: needs in three languages, offers, a delivery confirmed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonground.coalitions.models import Coalition, Membership
from commonground.marketplace import actions, fulfilment
from commonground.marketplace.models import MatchStatus, Need
from commonground.organisations.models import Organisation
from commonground.places.models import Area

# (title, description, category, subcategory, quantity, unit, people, urgency, days, area hint)
NEEDS = [
    (
        "Water filters for flooded households",
        "After the flood, 120 households in RW 05 drink river water. Ceramic or bucket filters.",
        "water_sanitation",
        "water_treatment",
        120,
        "filters",
        480,
        4,
        14,
        "KAMPUNG BALI",
    ),
    (
        "Pelatihan pertolongan pertama untuk kader RW",
        "Dua puluh kader siap belajar P3K sebelum musim hujan.",
        "training_skills",
        "first_aid_training",
        20,
        "people",
        20,
        3,
        30,
        "CIDENG",
    ),
    (
        "Filtros de agua para la escuela",
        "La escuela comunitaria necesita agua potable para 300 alumnos.",
        "water_sanitation",
        "water_treatment",
        10,
        "filters",
        300,
        3,
        21,
        "GAMBIR",
    ),
    (
        "Sandbags before the rainy season",
        "The riverbank in Petojo floods every January.",
        "preparedness_equipment",
        "",
        2000,
        "sandbags",
        900,
        3,
        40,
        "PETOJO",
    ),
    (
        "Kits d'hygiène pour familles déplacées",
        "Familles hébergées à la mosquée après l'inondation.",
        "water_sanitation",
        "hygiene_items",
        60,
        "kits",
        240,
        4,
        7,
        "KEBON",
    ),
    (
        "Footbridge repair over the canal",
        "The bamboo footbridge children use to reach school is broken.",
        "shelter",
        "infrastructure_repair",
        None,
        "",
        600,
        2,
        60,
        "KAMPUNG BALI",
    ),
    (
        "Early-warning loudspeakers",
        "Two loudspeakers for the mosque to relay flood warnings.",
        "preparedness_equipment",
        "early_warning",
        2,
        "loudspeakers",
        1500,
        2,
        45,
        "CIDENG",
    ),
]
# (title, description, category, subcategory, quantity, unit, organisation name part, radius)
OFFERS = [
    (
        "Ceramic water filters (CSR donation)",
        "Household ceramic filters, 5 years' life, delivered by our trucks.",
        "water_sanitation",
        "water_treatment",
        200,
        "filters",
        "Unilever",
        25.0,
    ),
    (
        "First-aid training for community volunteers",
        "One-day first-aid course, certified, in Bahasa Indonesia.",
        "training_skills",
        "first_aid_training",
        60,
        "people",
        "Red Cross",
        None,
    ),
    (
        "Sandbags and volunteers to fill them",
        "Sand, bags and a team on a weekend.",
        "preparedness_equipment",
        "",
        1500,
        "sandbags",
        "Jakarta Flood",
        15.0,
    ),
    (
        "Hygiene kits",
        "Soap, buckets, sanitary items for a family of four.",
        "water_sanitation",
        "hygiene_items",
        40,
        "kits",
        "Muhammadiyah",
        None,
    ),
    (
        "Civil engineering advice, pro bono",
        "Structural checks of small bridges and walls.",
        "expertise",
        "engineering",
        None,
        "",
        "University",
        None,
    ),
]


def _organisation(coalition: Coalition, part: str) -> Organisation | None:
    return (
        Organisation.objects.filter(participations__coalition=coalition, name__icontains=part)
        .order_by("id")
        .first()
    )


def _area(coalition: Coalition, hint: str) -> Area | None:
    return (
        Area.objects.filter(coalition=coalition, level="community", name__icontains=hint)
        .order_by("name")
        .first()
    )


def load_jakarta_marketplace() -> bool:
    coalition = Coalition.objects.filter(slug="jakarta").first()
    if coalition is None or Need.objects.filter(coalition=coalition).exists():
        return False
    community = (
        Membership.objects.filter(coalition=coalition, role="community_rep")
        .select_related("user")
        .first()
    )
    member = (
        Membership.objects.filter(coalition=coalition, role="member").select_related("user").first()
    )
    if community is None or member is None:
        return False
    today = timezone.localdate()
    with transaction.atomic():
        needs = []
        for title, text, category, sub, qty, unit, people, urgency, days, hint in NEEDS:
            area = _area(coalition, hint)
            centre = None
            if area is not None and None not in (area.min_x, area.min_y, area.max_x, area.max_y):
                box = [float(v or 0) for v in (area.min_x, area.min_y, area.max_x, area.max_y)]
                centre = ((box[1] + box[3]) / 2, (box[0] + box[2]) / 2)
            needs.append(
                actions.create_need(
                    community.user,
                    coalition,
                    title=title,
                    description=text,
                    category=category,
                    subcategory=sub,
                    quantity=None if qty is None else Decimal(qty),
                    unit=unit,
                    people=people,
                    urgency=urgency,
                    needed_by=today + datetime.timedelta(days=days),
                    area=area,
                    latitude=centre[0] if centre else None,
                    longitude=centre[1] if centre else None,
                )
            )
        offers = []
        for title, text, category, sub, qty, unit, org_part, radius in OFFERS:
            offers.append(
                actions.create_offer(
                    member.user,
                    coalition,
                    title=title,
                    description=text,
                    category=category,
                    subcategory=sub,
                    quantity=None if qty is None else Decimal(qty),
                    unit=unit,
                    organisation=_organisation(coalition, org_part),
                    latitude=-6.1754 if radius else None,
                    longitude=106.8272 if radius else None,
                    radius_km=radius,
                    available_until=today + datetime.timedelta(days=90),
                )
            )
        # One delivery done and thanked, one commitment waiting for the community's answer.
        provider = member
        owner = community
        done = fulfilment.propose(member.user, provider, needs[0], offers[0])
        fulfilment.step(member.user, provider, done, MatchStatus.OFFERED, quantity=Decimal(120))
        fulfilment.step(community.user, owner, done, MatchStatus.ACCEPTED)
        fulfilment.step(member.user, provider, done, MatchStatus.IN_DELIVERY)
        fulfilment.step(member.user, provider, done, MatchStatus.DELIVERED)
        fulfilment.step(
            community.user,
            owner,
            done,
            MatchStatus.CONFIRMED,
            people_reached=465,
            note="Terima kasih! Every household in RW 05 has clean water again.",
        )
        waiting = fulfilment.propose(member.user, provider, needs[3], offers[2])
        fulfilment.step(member.user, provider, waiting, MatchStatus.OFFERED, quantity=Decimal(1500))
        fulfilment.post_message(
            member.user, provider, waiting, "We can bring 1,500 bags on Saturday at 8:00."
        )
    return True
