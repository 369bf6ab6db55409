"""The demo's checklist for Jakarta's session with the municipal authorities, half done."""

from __future__ import annotations

import datetime

from django.db import transaction

from commonground.coalitions.models import Coalition


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
