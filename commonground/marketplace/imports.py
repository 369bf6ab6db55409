"""Importing needs: validated as a whole, written at once, matched once afterwards."""

from __future__ import annotations

from django.db import transaction

from commonground.accounts.models import User
from commonground.coalitions.audit import record
from commonground.coalitions.models import Coalition
from commonground.jobs.queue import enqueue
from commonground.marketplace.actions import search_key
from commonground.marketplace.exchange import Resolver, Sheet, parse_rows
from commonground.marketplace.models import Need, NeedStatus
from commonground.places.models import Area


@transaction.atomic
def import_needs(
    actor: User | None,
    coalition: Coalition,
    sheet: Sheet,
    mapping: dict[str, str],
    *,
    status: str = NeedStatus.OPEN,
) -> list[Need]:
    """All the sheet's needs, or none (``TableImportError`` lists every bad row)."""
    resolver = Resolver(list(Area.objects.filter(coalition=coalition)))
    parsed = parse_rows(sheet, mapping, resolver)
    needs = []
    for row in parsed:
        need = Need(coalition=coalition, created_by=actor, status=status, **row.values)
        need.search_key = search_key(need)
        needs.append(need)
    created = Need.objects.bulk_create(needs)
    record(actor, coalition, "need.import", coalition, after={"needs": len(created)})
    from commonground.marketplace.tasks import rematch

    enqueue(rematch, coalition=coalition, coalition_id=coalition.pk)
    return created
