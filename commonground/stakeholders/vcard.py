"""vCard 4.0 (RFC 6350) for contacts, written by hand: escaping (§3.4), folding (§3.2).

Lines end with CRLF and are folded at 75 octets, never inside a UTF-8 character; a folded
line goes on after CRLF and one space. Text values escape backslash, comma, semicolon and
newline.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from commonground.organisations.models import Contact
    from commonground.stakeholders.models import Stakeholder

CRLF = "\r\n"
MAX_OCTETS = 75
_TEL_URI = re.compile(r"^\+?[0-9][0-9 ().-]*$")


def escape(text: str) -> str:
    """A text value as RFC 6350 §3.4 wants it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (the first; then 74 + the space)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def _param_value(value: str) -> str:
    """A parameter value, quoted when it holds a character that would end it (§3.3)."""
    value = value.replace('"', "'").replace("\n", " ")
    return f'"{value}"' if any(c in value for c in ":;,") else value


@dataclass
class VCard:
    lines: list[str] = field(default_factory=list)

    def add(self, name: str, value: str, params: Iterable[tuple[str, str]] = ()) -> VCard:
        """Add a property whose value is already in its final form (a URI, a structured value)."""
        head = name + "".join(f";{key}={_param_value(val)}" for key, val in params)
        self.lines.append(f"{head}:{value}")
        return self

    def text(self, name: str, value: str, params: Iterable[tuple[str, str]] = ()) -> VCard:
        """Add a text property when there is text; escaped."""
        if value and value.strip():
            self.add(name, escape(value.strip()), params)
        return self

    def serialise(self) -> str:
        body = ["BEGIN:VCARD", "VERSION:4.0", *self.lines, "END:VCARD"]
        return "".join(fold(line) + CRLF for line in body)


def tel(number: str) -> tuple[str, list[tuple[str, str]]]:
    """A phone number as a tel: URI when it looks like one (RFC 3966), else as text."""
    number = number.strip()
    if _TEL_URI.match(number):
        uri = re.sub(r"[ ().]+", "-", number).strip("-")
        uri = re.sub(r"-{2,}", "-", uri)
        return f"tel:{uri}", [("VALUE", "uri"), ("TYPE", "voice")]
    return escape(number), [("VALUE", "text"), ("TYPE", "voice")]


def uid(kind: str, pk: int | None) -> str:
    """A stable identifier: the same contact gets the same UID in every export."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{kind}/{pk}"))


def _rev(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _contact_lines(card: VCard, contact: Contact) -> None:
    card.text("TITLE", contact.role)
    if contact.email:
        card.text("EMAIL", contact.email, [("TYPE", "work")])
    if contact.phone:
        value, params = tel(contact.phone)
        card.add("TEL", value, params)
    if contact.language:
        card.add("LANG", escape(contact.language), [("PREF", "1")])
    card.text("NOTE", contact.notes)
    if contact.preferred_channel:
        card.text("X-COMMONGROUND-CHANNEL", contact.preferred_channel)


def vcard_for_contact(contact: Contact) -> VCard:
    card = VCard()
    card.add("PRODID", escape("-//Common Ground//Stakeholders//EN"))
    card.add("UID", uid("contact", contact.pk))
    card.add("KIND", "individual")
    card.text("FN", contact.name)
    card.add("ORG", escape(contact.organisation.name))
    _contact_lines(card, contact)
    card.add("REV", _rev(contact.updated_at))
    return card


def vcard_for_person(person: Stakeholder) -> VCard:
    """A person on the stakeholder map; their linked contact's details when there is one."""
    card = VCard()
    card.add("PRODID", escape("-//Common Ground//Stakeholders//EN"))
    contact = person.contact
    card.add("UID", uid("contact", contact.pk) if contact else uid("stakeholder", person.pk))
    card.add("KIND", "individual")
    card.text("FN", person.person_name)
    if contact is not None:
        card.add("ORG", escape(contact.organisation.name))
        _contact_lines(card, contact)
    notes = [person.brings, person.notes]
    if contact is None:
        card.text("NOTE", "\n".join(n for n in notes if n))
    card.add("REV", _rev(person.updated_at))
    return card
