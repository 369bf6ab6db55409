from __future__ import annotations

from commonground.jobs.queue import job
from commonground.marketplace import notify
from commonground.marketplace.models import Need, Offer


@job
def match_listing(kind: str, listing_id: int) -> dict[str, object]:
    """Suggestions for a need or an offer that was just posted or edited."""
    from commonground.marketplace.suggest import suggest_for_need, suggest_for_offer

    if kind == "need":
        need = Need.objects.filter(pk=listing_id).first()
        return {"suggestions": suggest_for_need(need) if need else 0}
    offer = Offer.objects.filter(pk=listing_id).first()
    return {"suggestions": suggest_for_offer(offer) if offer else 0}


@job
def send_match_step(match_id: int, actor_id: int | None, status: str) -> dict[str, object]:
    return {"sent": notify.send_step(match_id, actor_id, status)}


@job
def send_match_message(message_id: int) -> dict[str, object]:
    return {"sent": notify.send_message(message_id)}


@job
def rematch(coalition_id: int) -> dict[str, object]:
    """Every open need of the coalition against every open offer (after an import)."""
    from commonground.marketplace.suggest import rematch_coalition

    return {"suggestions": rematch_coalition(coalition_id)}
