"""The checklist's sections and how their progress is counted.

Plain data and functions, so progress can be tested without pages or a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from commonground.municipal.models import (
    SIDE_ORDER,
    AgendaItem,
    EndorsementStatus,
    Milestone,
    MunicipalSession,
    Objective,
    Participant,
    SessionItem,
    Side,
    Task,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


@dataclass(frozen=True)
class ItemSection:
    """A section made of ordered items: its key in URLs, its model and editable fields."""

    key: str
    model: type[SessionItem]
    fields: tuple[str, ...]
    label: StrOrPromise


ITEM_SECTIONS: dict[str, ItemSection] = {
    section.key: section
    for section in [
        ItemSection(
            "participants",
            Participant,
            ("role", "name", "title", "contact", "confirmed"),
            _("Participants"),
        ),
        ItemSection("objectives", Objective, ("text", "agreed"), _("Objectives")),
        ItemSection(
            "tasks",
            Task,
            ("title", "responsible", "due_on", "done"),
            _("Roles and responsibilities"),
        ),
        ItemSection("milestones", Milestone, ("kind", "title", "date", "confirmed"), _("Timeline")),
        ItemSection(
            "agenda",
            AgendaItem,
            ("title", "duration_minutes", "presenter", "confirmed"),
            _("Proposed agenda"),
        ),
    ]
}
SECTION_OF_MODEL: dict[type[SessionItem], ItemSection] = {
    s.model: s for s in ITEM_SECTIONS.values()
}
SECTION_KEYS = "|".join(ITEM_SECTIONS)


@dataclass(frozen=True)
class Progress:
    key: str
    label: StrOrPromise
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


@dataclass
class Checklist:
    """A session with its items, loaded once, and the progress of every section."""

    session: MunicipalSession
    participants: list[Participant] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    agenda: list[AgendaItem] = field(default_factory=list)

    def items(self, key: str) -> list[SessionItem]:
        return list(getattr(self, key))

    @property
    def sections(self) -> list[Progress]:
        """Progress per section, in the order the page shows them."""
        return [
            _count("participants", _("Participants"), self.participants),
            objectives_progress(self.session, self.objectives),
            endorsement_progress(self.session),
            _count("tasks", _("Roles and responsibilities"), self.tasks),
            _count("milestones", _("Timeline"), self.milestones),
            _count("agenda", _("Proposed agenda"), self.agenda),
        ]

    @property
    def by_key(self) -> dict[str, Progress]:
        return {p.key: p for p in self.sections}

    @property
    def overall(self) -> Progress:
        sections = self.sections
        return Progress(
            "overall",
            _("Overall"),
            sum(p.done for p in sections),
            sum(p.total for p in sections),
        )

    @property
    def participants_by_side(self) -> list[tuple[str, StrOrPromise, list[Participant]]]:
        """(side, its label, its participants) for every side, even an empty one."""
        return [
            (side, label, [p for p in self.participants if p.side == side])
            for side, label in Side.choices
        ]

    @property
    def agenda_minutes(self) -> int:
        return sum(item.duration_minutes for item in self.agenda)


def _count(key: str, label: StrOrPromise, items: Sequence[SessionItem]) -> Progress:
    return Progress(key, label, sum(1 for item in items if item.is_done), len(items))


def objectives_progress(session: MunicipalSession, points: Sequence[Objective]) -> Progress:
    """The goal counts as one item once written; each point once agreed."""
    done = (1 if session.goal.strip() else 0) + sum(1 for p in points if p.agreed)
    return Progress("objectives", _("Objectives"), done, 1 + len(points))


def endorsement_progress(session: MunicipalSession) -> Progress:
    """Three steps: asked for, granted, and the signed document on file."""
    status = session.endorsement_status
    steps = [
        status != EndorsementStatus.NOT_REQUESTED,
        status == EndorsementStatus.ENDORSED,
        bool(session.document_path),
    ]
    return Progress("endorsement", _("Formal endorsement"), sum(steps), len(steps))


def load_checklist(session: MunicipalSession) -> Checklist:
    """Every item of the session, one query per section."""
    items = {
        key: list(section.model._default_manager.filter(session=session).order_by("position", "id"))
        for key, section in ITEM_SECTIONS.items()
        if key != "participants"
    }
    participants = sorted(
        Participant.objects.filter(session=session).select_related("contact__organisation"),
        key=lambda p: (SIDE_ORDER.get(p.side, len(SIDE_ORDER)), p.position, p.pk),
    )
    return Checklist(session, participants=participants, **items)  # type: ignore[arg-type]
