"""Fill an empty, migrated database with a realistic multi-city registry, fast.

This is a data generator, not app code: it writes rows with ``bulk_create`` and skips the
actions (no audit per row, no jobs), computing the derived fields exactly as the models'
``save()`` would. It also creates what the load driver needs to sign in: one API token and one
database session per "agent" user, written to a JSON manifest.

Run by bench/run.py in a child process whose environment selects the database::

    python -m bench.seed --manifest /tmp/x/manifest.json [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.names import (  # noqa: E402
    CITIES,
    SEARCH_CANDIDATES,
    City,
    acronym_for,
    organisation_name,
    person_name,
    red_cross_name,
    role_title,
)
from commonground.accounts.models import User  # noqa: E402
from commonground.coalitions.models import (  # noqa: E402
    AuditEntry,
    Coalition,
    CoalitionModel,
    CoalitionStatus,
    Invitation,
    Level,
    Membership,
)
from commonground.coalitions.roles import Role  # noqa: E402
from commonground.lib.text import name_key  # noqa: E402
from commonground.organisations.models import (  # noqa: E402
    CoalitionOrganisation,
    Contact,
    Organisation,
)
from commonground.organisations.vocabularies import SECTORS, Channel, OrgLevel, OrgType  # noqa: E402

BATCH = 1000
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Each coalition has one member in each of these roles (the first is its focal point), so the
# load spreads over every kind of page a role can see.
FIXED_ROLES = (Role.FOCAL_POINT, Role.LEAD_ADMIN, Role.MEMBER, Role.COMMUNITY_REP, Role.OBSERVER)
TYPE_WEIGHTS = {
    OrgType.NGO: 25, OrgType.COMMUNITY: 20, OrgType.GOVERNMENT: 14, OrgType.PRIVATE: 13,
    OrgType.ACADEMIA: 8, OrgType.FAITH: 8, OrgType.MEDIA: 4, OrgType.OTHER: 3,
    OrgType.UN: 2, OrgType.RED_CROSS: 3,
}  # fmt: skip
LEVEL_BY_TYPE: dict[str, tuple[str, ...]] = {
    OrgType.COMMUNITY: (OrgLevel.COMMUNITY,),
    OrgType.UN: (OrgLevel.NATIONAL, OrgLevel.GLOBAL),
    OrgType.GOVERNMENT: (OrgLevel.CITY, OrgLevel.CITY, OrgLevel.COMMUNITY, OrgLevel.NATIONAL),
}
TAGS = (
    "first aid", "search and rescue", "boats", "warehouse", "translation", "GIS mapping",
    "hydrology", "food distribution", "psychosocial support", "mobile clinic", "radio airtime",
    "heavy machinery", "volunteers", "community kitchen", "trucks", "cash transfers",
    "early warning", "legal aid", "water trucking", "shelter kits", "training venue",
)  # fmt: skip
AUDIT_ACTIONS = (
    ("organisation.create", "organisations.organisation"),
    ("organisation.update", "organisations.organisation"),
    ("organisation.join", "organisations.organisation"),
    ("contact.create", "organisations.contact"),
    ("contact.update", "organisations.contact"),
    ("membership.add", "coalitions.membership"),
    ("invitation.create", "coalitions.invitation"),
    ("coalition.update", "coalitions.coalition"),
)
COALITION_NAMES = {
    "en": "{city} Resilience Coalition",
    "es": "Coalición por la Resiliencia de {city}",
    "fr": "Coalition pour la résilience de {city}",
    "id": "Koalisi Ketangguhan Kota {city}",
}


@dataclass(frozen=True)
class Scale:
    coalitions: int
    organisations: int
    contacts: int
    per_coalition: int  # organisations on each coalition's list
    extra_members: int  # up to this many members beyond the five fixed roles
    audit_per_coalition: int


FULL = Scale(100, 20_000, 50_000, 200, 4, 40)
QUICK = Scale(10, 2_000, 5_000, 100, 2, 20)


def sector_codes(sectors: list[str]) -> str:
    """As ``Organisation.save()`` stores them: "|hea|wsh|", or "" for none."""
    return "|" + "|".join(sectors) + "|" if sectors else ""


def coalition_cities(n: int) -> list[tuple[City, str]]:
    """(city, display name) for n coalitions; beyond the list, cities get a second coalition."""
    result: list[tuple[City, str]] = []
    for k in range(n):
        city = CITIES[k % len(CITIES)]
        round_ = k // len(CITIES)
        result.append((city, city.name if round_ == 0 else f"{city.name} {round_ + 1}"))
    return result


class Seeder:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.cities = coalition_cities(scale.coalitions)

    def when(self, max_days: int) -> datetime.datetime:
        return self.now - datetime.timedelta(seconds=self.rng.randint(60, max_days * 86400))

    def users(self) -> list[list[tuple[User, str]]]:
        """Per coalition: (user, role) for its members; the first is the focal point."""
        password = make_password(None)  # unusable; sessions are created directly
        per_coalition: list[list[tuple[User, str]]] = []
        rows: list[User] = []
        for k, (city, _label) in enumerate(self.cities):
            extra = [
                self.rng.choice([Role.MEMBER, Role.MEMBER, Role.COMMUNITY_REP, Role.OBSERVER])
                for _ in range(self.rng.randint(0, self.scale.extra_members))
            ]
            members: list[tuple[User, str]] = []
            for i, role in enumerate([*FIXED_ROLES, *extra]):
                full_name = person_name(self.rng, city.lang)
                email = f"{slugify(full_name).replace('-', '.')}.{k}.{i}@example.org"
                user = User(
                    email=email,
                    full_name=full_name,
                    language=city.lang if city.lang in {"en", "es", "fr"} else "en",
                    password=password,
                    date_joined=self.when(700),
                )
                rows.append(user)
                members.append((user, role))
            per_coalition.append(members)
        User.objects.bulk_create(rows, batch_size=BATCH)
        return per_coalition

    def organisation(self, org_type: str, city: City, name: str | None = None) -> Organisation:
        rng = self.rng
        name = name or organisation_name(rng, org_type, city)
        sectors = sorted(rng.sample([code for code, _ in SECTORS], rng.choice([1, 1, 2, 2, 3])))
        levels = LEVEL_BY_TYPE.get(org_type, (OrgLevel.CITY, OrgLevel.CITY, OrgLevel.NATIONAL))
        acronym = acronym_for(name) if rng.random() < 0.4 else ""
        created = self.when(900)
        return Organisation(
            name=name,
            name_key=name_key(name),
            acronym=acronym if len(acronym) >= 2 else "",
            type=org_type,
            sectors=sectors,
            sector_codes=sector_codes(sectors),
            level=rng.choice(levels),
            website=f"https://{slugify(name)[:40].strip('-')}.example.org"
            if rng.random() < 0.5
            else "",
            description=f"Works in {city.name} on {', '.join(sectors)}."
            if rng.random() < 0.6
            else "",
            address=f"{rng.randint(1, 400)} {rng.choice(['Main', 'Market', 'Harbour'])} Street"
            if rng.random() < 0.3
            else "",
            city=city.name,
            country=city.country,
            latitude=round(city.lat + rng.uniform(-0.08, 0.08), 5) if rng.random() < 0.7 else None,
            longitude=round(city.lon + rng.uniform(-0.08, 0.08), 5) if rng.random() < 0.7 else None,
            capacities=rng.sample(TAGS, rng.randint(0, 3)),
            resources=rng.sample(TAGS, rng.randint(0, 2)),
            expertise=rng.sample(TAGS, rng.randint(0, 2)),
            created_at=created,
            updated_at=created,
        )

    def organisations(self) -> tuple[list[Organisation], list[list[Organisation]]]:
        """Every organisation, plus per coalition the ones based in its city (lead first)."""
        types = list(TYPE_WEIGHTS)
        weights = list(TYPE_WEIGHTS.values())
        leads = [
            self.organisation(OrgType.RED_CROSS, city, red_cross_name(city))
            for city, _label in self.cities
        ]
        rest = [
            self.organisation(
                self.rng.choices(types, weights)[0], self.cities[i % len(self.cities)][0]
            )
            for i in range(self.scale.organisations - len(leads))
        ]
        everything = [*leads, *rest]
        Organisation.objects.bulk_create(everything, batch_size=BATCH)
        home: list[list[Organisation]] = [[lead] for lead in leads]
        for i, org in enumerate(rest):
            home[i % len(self.cities)].append(org)
        return everything, home

    def coalitions(
        self, members: list[list[tuple[User, str]]], home: list[list[Organisation]]
    ) -> list[Coalition]:
        rows = []
        for k, (city, label) in enumerate(self.cities):
            founded = self.when(1500)
            rows.append(
                Coalition(
                    name=COALITION_NAMES[city.lang].format(city=label),
                    slug=slugify(label)[:60],
                    city=city.name,
                    country=city.country,
                    model=self.rng.choice(CoalitionModel.values),
                    lead_organisation=home[k][0],
                    focal_point=members[k][0][0],
                    levels_engaged=self.rng.sample(Level.values, self.rng.randint(1, 4)),
                    mission_what=f"Fewer people in {city.name} harmed by floods, heat and fires.",
                    mission_why="The poorest neighbourhoods flood first and recover last.",
                    mission_measure="Households reached with early warning; response times.",
                    vision=f"A {city.name} where every neighbourhood can prepare and recover.",
                    status=self.rng.choice(
                        [CoalitionStatus.ACTIVE] * 3 + [CoalitionStatus.FORMING]
                    ),
                    founded_on=founded.date(),
                    created_at=founded,
                    updated_at=founded,
                )
            )
        Coalition.objects.bulk_create(rows, batch_size=BATCH)
        return rows

    def participations(
        self,
        coalitions: list[Coalition],
        everything: list[Organisation],
        home: list[list[Organisation]],
    ) -> list[list[Organisation]]:
        """~per_coalition organisations on each list: mostly local, some national/global."""
        target = self.scale.per_coalition
        wide = [o for o in everything if o.level in {OrgLevel.NATIONAL, OrgLevel.GLOBAL}]
        rows: list[CoalitionOrganisation] = []
        lists: list[list[Organisation]] = []
        for k, coalition in enumerate(coalitions):
            n = self.rng.randint(int(target * 0.9), int(target * 1.1))
            local = home[k][1:]
            chosen = [home[k][0], *self.rng.sample(local, min(len(local), int(n * 0.8)))]
            ids = {o.pk for o in chosen}
            while len(chosen) < n:
                org = self.rng.choice(wide)
                if org.pk not in ids:
                    ids.add(org.pk)
                    chosen.append(org)
            lists.append(chosen)
            actor = coalition.focal_point
            rows.extend(
                CoalitionOrganisation(
                    coalition=coalition, organisation=org, added_by=actor, added_at=self.when(600)
                )
                for org in chosen
            )
        CoalitionOrganisation.objects.bulk_create(rows, batch_size=BATCH)
        return lists

    def memberships(
        self,
        coalitions: list[Coalition],
        members: list[list[tuple[User, str]]],
        lists: list[list[Organisation]],
    ) -> list[tuple[User, Coalition]]:
        """Every member's membership, plus network staff; returns (network user, a coalition)."""
        rows = [
            Membership(
                coalition=coalition,
                user=user,
                role=role,
                organisation=self.rng.choice(lists[k]),
                joined_at=self.when(700),
            )
            for k, coalition in enumerate(coalitions)
            for user, role in members[k]
        ]
        # Network staff follow many cities as observers: their coalition switcher is long.
        network = [
            User(email=f"network.{i}@example.org", full_name=f"Network Analyst {i + 1}")
            for i in range(5)
        ]
        for user in network:
            user.password = make_password(None)
        User.objects.bulk_create(network)
        followed = []
        for user in network:
            cities = self.rng.sample(coalitions, min(20, len(coalitions)))
            rows.extend(Membership(coalition=c, user=user, role=Role.OBSERVER) for c in cities)
            followed.append((user, cities[0]))
        Membership.objects.bulk_create(rows, batch_size=BATCH)
        return followed

    def contacts(self, coalitions: list[Coalition], lists: list[list[Organisation]]) -> None:
        per = self.scale.contacts // len(coalitions)
        rows: list[Contact] = []
        channels = Channel.values
        for k, coalition in enumerate(coalitions):
            city = self.cities[k][0]
            n = per + (1 if k < self.scale.contacts % len(coalitions) else 0)
            for i in range(n):
                name = person_name(self.rng, city.lang)
                created = self.when(500)
                rows.append(
                    Contact(
                        organisation=self.rng.choice(lists[k]),
                        coalition=coalition,
                        name=name,
                        role=role_title(self.rng, city.lang),
                        email=f"{slugify(name).replace('-', '.')}.{i}@example.net"
                        if self.rng.random() < 0.8
                        else "",
                        phone=f"+{self.rng.randint(20, 99)} {self.rng.randint(100, 999)} "
                        f"{self.rng.randint(1000, 9999)}"
                        if self.rng.random() < 0.7
                        else "",
                        preferred_channel=self.rng.choice(channels),
                        language=city.lang,
                        created_at=created,
                        updated_at=created,
                    )
                )
        Contact.objects.bulk_create(rows, batch_size=BATCH)

    def audit(
        self,
        coalitions: list[Coalition],
        members: list[list[tuple[User, str]]],
        lists: list[list[Organisation]],
    ) -> None:
        rows: list[AuditEntry] = []
        for k, coalition in enumerate(coalitions):
            for _ in range(self.scale.audit_per_coalition):
                action, target_type = self.rng.choice(AUDIT_ACTIONS)
                org = self.rng.choice(lists[k])
                rows.append(
                    AuditEntry(
                        coalition=coalition,
                        actor=self.rng.choice(members[k])[0],
                        action=action,
                        target_type=target_type,
                        target_id=str(org.pk),
                        target_repr=str(org)[:200],
                        after={"name": org.name} if action.endswith("create") else {},
                        created_at=self.when(180),
                    )
                )
        AuditEntry.objects.bulk_create(rows, batch_size=BATCH)

    def invitations(
        self, coalitions: list[Coalition], members: list[list[tuple[User, str]]]
    ) -> None:
        """A few invitations per coalition: most pending, some accepted or revoked."""
        rows = []
        for k, coalition in enumerate(coalitions):
            lang = self.cities[k][0].lang
            for i in range(self.rng.randint(2, 8)):
                name = person_name(self.rng, lang)
                sent = self.when(20)
                fate = self.rng.random()
                rows.append(
                    Invitation(
                        coalition=coalition,
                        email=f"{slugify(name).replace('-', '.')}.{k}.{i}@example.com",
                        role=self.rng.choice([Role.MEMBER, Role.MEMBER, Role.COMMUNITY_REP]),
                        invited_by=members[k][0][0],
                        created_at=sent,
                        expires_at=sent + datetime.timedelta(days=settings.INVITATION_DAYS),
                        accepted_at=sent + datetime.timedelta(hours=5) if fate < 0.2 else None,
                        revoked_at=sent + datetime.timedelta(days=1) if 0.2 <= fate < 0.3 else None,
                    )
                )
        Invitation.objects.bulk_create(rows, batch_size=BATCH)

    def agents(
        self,
        coalitions: list[Coalition],
        members: list[list[tuple[User, str]]],
        network: list[tuple[User, Coalition]],
    ) -> list[dict[str, Any]]:
        """The signed-in users the driver plays, each with a token and a session.

        One per coalition, cycling through the roles, plus the network staff (who belong to
        many coalitions, so their coalition switcher and API coalition list are long).
        """
        chosen = [
            (*members[k][k % len(FIXED_ROLES)], coalition) for k, coalition in enumerate(coalitions)
        ]
        chosen += [(user, Role.OBSERVER, coalition) for user, coalition in network]
        agents = []
        tokens = []
        for user, role, coalition in chosen:
            token = Token(key=Token.generate_key(), user=user)
            tokens.append(token)
            session = SessionStore()
            # What django.contrib.auth.login() stores (and Client.force_login uses).
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = AUTH_BACKEND
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session["coalition"] = coalition.slug  # as the first page view would remember it
            session.create()
            agents.append(
                {
                    "slug": coalition.slug,
                    "user_id": user.pk,
                    "email": user.email,
                    "role": str(role),
                    "session_key": session.session_key,
                    "token": token.key,
                }
            )
        Token.objects.bulk_create(tokens)
        return agents


def search_words(everything: list[Organisation], scale: Scale) -> list[dict[str, Any]]:
    """Candidate words that match a few hundred names (as the list's ?q= search does)."""
    factor = scale.organisations / FULL.organisations
    low, high, ideal = 120 * factor, 700 * factor, 300 * factor
    counts = Counter[str]()
    for org in everything:
        for word in SEARCH_CANDIDATES:
            if word in org.name_key or org.acronym.lower() == word:
                counts[word] += 1
    ranked = sorted(SEARCH_CANDIDATES, key=lambda w: abs(counts[w] - ideal))
    fitting = [w for w in ranked if low <= counts[w] <= high] or ranked[:1]
    return [{"word": w, "matches": counts[w]} for w in fitting[:3]]


def run(scale: Scale, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    seeder = Seeder(scale, seed)
    with transaction.atomic():
        members = seeder.users()
        everything, home = seeder.organisations()
        coalitions = seeder.coalitions(members, home)
        lists = seeder.participations(coalitions, everything, home)
        network = seeder.memberships(coalitions, members, lists)
        seeder.contacts(coalitions, lists)
        seeder.audit(coalitions, members, lists)
        seeder.invitations(coalitions, members)
        agents = seeder.agents(coalitions, members, network)
    seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Autovacuum would get there within a minute; do it now so plans are stable from the
        # first request. (SQLite is left as the app leaves it: it never runs ANALYZE.)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    ngo_health = sum(1 for o in everything if o.type == OrgType.NGO and "hea" in o.sectors)
    return {
        "scale": asdict(scale),
        "seed": seed,
        "seconds": round(seeded, 2),
        "analyze_seconds": round(time.perf_counter() - started - seeded, 2),
        "counts": {
            "coalitions": Coalition.objects.count(),
            "organisations": Organisation.objects.count(),
            "contacts": Contact.objects.count(),
            "coalition_organisations": CoalitionOrganisation.objects.count(),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "audit_entries": AuditEntry.objects.count(),
            "invitations": Invitation.objects.count(),
        },
        "search_words": search_words(everything, scale),
        "ngo_health_matches": ngo_health,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "agents": agents,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help="a small seed for a smoke run")
    parser.add_argument("--seed", type=int, default=20251121)
    args = parser.parse_args()
    if Organisation.objects.exists():
        raise SystemExit("The database already has organisations; the seeder needs an empty one.")
    manifest = run(QUICK if args.quick else FULL, args.seed)
    args.manifest.write_text(json.dumps(manifest, indent=2))
    counts = ", ".join(f"{n:,} {name}" for name, n in manifest["counts"].items())
    print(f"seeded in {manifest['seconds']} s: {counts}")


if __name__ == "__main__":
    main()
